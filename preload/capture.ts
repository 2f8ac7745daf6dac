/**
 * The preload of Electron's hidden capture window (main/app/capture.ts). It exposes nothing to
 * the page: it receives a MessagePort from main and, when main asks ({type:'start'}), opens the
 * camera (getUserMedia), grabs frames into a canvas no larger than asked, about `fps` a second,
 * and posts each as {width, height, rgba, timestampMs} (main's PushFrameSource.push shape),
 * skipping a frame while main has not taken the last; on {type:'stop'} the tracks stop.
 * Nothing is drawn on screen or kept. (The browser host's customer display does the same over
 * its WebSocket: renderer/src/features/facepay/capture.ts.)
 */
import { ipcRenderer } from 'electron';
import { captureControl, type CaptureControl } from '../main/contract/facepay';

/** main/app/capture.ts sends the port on this channel. */
const CAPTURE_PORT_CHANNEL = 'capture:port';

type Start = Extract<CaptureControl, { type: 'start' }>;

let stream: MediaStream | null = null;
let timer: ReturnType<typeof setInterval> | undefined;
let generation = 0;
/** Frames posted that main has not acknowledged yet (no new frame while one is pending). */
let inFlight = 0;

function stop(): void {
  generation += 1;
  clearInterval(timer);
  timer = undefined;
  for (const track of stream?.getTracks() ?? []) track.stop();
  stream = null;
}

async function start(port: MessagePort, request: Start): Promise<void> {
  stop();
  const mine = generation;
  let media: MediaStream;
  try {
    media = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: {
        width: { ideal: request.maxWidth },
        height: { ideal: request.maxHeight },
        frameRate: { ideal: request.fps },
      },
    });
  } catch (error) {
    port.postMessage({ type: 'error', name: error instanceof Error ? error.name : 'Error' });
    return;
  }
  if (mine !== generation) {
    for (const track of media.getTracks()) track.stop();
    return;
  }
  stream = media;
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = media;
  await video.play().catch(() => undefined);
  const context = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (context === null || mine !== generation) return;
  inFlight = 0;
  timer = setInterval(
    () => {
      if (inFlight > 0 || video.readyState < 2 || video.videoWidth === 0) return;
      const scale = Math.min(
        1,
        request.maxWidth / video.videoWidth,
        request.maxHeight / video.videoHeight,
      );
      const width = Math.max(1, Math.round(video.videoWidth * scale));
      const height = Math.max(1, Math.round(video.videoHeight * scale));
      context.canvas.width = width;
      context.canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      const rgba = context.getImageData(0, 0, width, height).data.buffer;
      inFlight += 1;
      port.postMessage({ width, height, rgba, timestampMs: performance.now() }, [rgba]);
    },
    Math.round(1000 / request.fps),
  );
}

function handle(port: MessagePort, data: unknown): void {
  if ((data as { type?: unknown } | null)?.type === 'ack') {
    inFlight = Math.max(0, inFlight - 1);
    return;
  }
  const control = captureControl.safeParse(data);
  if (!control.success) return;
  if (control.data.type === 'start') void start(port, control.data);
  else if (control.data.type === 'stop') stop();
}

ipcRenderer.on(CAPTURE_PORT_CHANNEL, (event) => {
  const port = event.ports[0];
  if (port === undefined) return;
  port.onmessage = (message: MessageEvent) => handle(port, message.data);
  port.start();
  port.postMessage({ type: 'hello', role: 'customer-display' });
});
window.addEventListener('pagehide', stop);

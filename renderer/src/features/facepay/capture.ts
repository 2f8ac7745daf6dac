/**
 * The browser host's camera, on the customer display page. The page keeps a WebSocket to the
 * host's /capture and says hello as the customer display; it opens the camera only when main
 * asks ({type:'start'}), sends frames as binary messages in the wire format (RGBA, at most the
 * size main asked for, about `fps` a second, skipping a frame while the last is still on its
 * way), and stops the camera's tracks when main says stop, when the socket drops, or when the
 * page goes away. Frames are not drawn or kept here: the only picture the page shows is the
 * small preview main sends back. (In Electron a hidden capture window does this instead.)
 */
import {
  captureControl,
  encodeCaptureFrame,
  facePayPreview,
  type CaptureControl,
  type FacePayPreview,
} from '../../contract';

/** ws(s)://<same host>/capture (the page's key goes as a subprotocol, never in the URL). */
export function captureUrlFor(location: { protocol: string; host: string }) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/capture`;
}

export function cameraSupported(win: Window): boolean {
  return typeof win.navigator.mediaDevices?.getUserMedia === 'function';
}

type StartRequest = Extract<CaptureControl, { type: 'start' }>;

/** The page's camera: opened on request, grabbed into a canvas, always closed again. */
class PageCamera {
  private stream: MediaStream | null = null;
  private video: HTMLVideoElement | null = null;
  private canvas: HTMLCanvasElement | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private generation = 0;

  async start(
    request: StartRequest,
    send: (frame: Uint8Array<ArrayBuffer>) => void,
    busy: () => boolean,
    onError: (name: string) => void,
  ): Promise<void> {
    this.stop();
    const generation = this.generation;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: {
          width: { ideal: request.maxWidth },
          height: { ideal: request.maxHeight },
          frameRate: { ideal: request.fps },
          facingMode: 'user',
        },
      });
    } catch (error) {
      onError(error instanceof Error ? error.name.slice(0, 64) : 'Error');
      return;
    }
    if (generation !== this.generation) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    this.stream = stream;
    this.video = video;
    this.canvas = document.createElement('canvas');
    try {
      await video.play();
    } catch {
      // Autoplay of a muted, off-screen video is allowed; if not, readyState stays low and
      // nothing is sent, so main's session reports the camera error.
    }
    if (generation !== this.generation) return;
    const context = this.canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) {
      onError('NoCanvas');
      this.stop();
      return;
    }
    this.timer = setInterval(
      () => {
        if (busy() || video.readyState < 2 || video.videoWidth === 0) return;
        const scale = Math.min(
          1,
          request.maxWidth / video.videoWidth,
          request.maxHeight / video.videoHeight,
        );
        const width = Math.max(1, Math.round(video.videoWidth * scale));
        const height = Math.max(1, Math.round(video.videoHeight * scale));
        const canvas = context.canvas;
        if (canvas.width !== width || canvas.height !== height) {
          canvas.width = width;
          canvas.height = height;
        }
        context.drawImage(video, 0, 0, width, height);
        const image = context.getImageData(0, 0, width, height);
        send(encodeCaptureFrame(image.data, width, height, performance.now()));
      },
      Math.round(1000 / request.fps),
    );
  }

  stop(): void {
    this.generation += 1;
    clearInterval(this.timer);
    this.timer = undefined;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    if (this.video !== null) {
      this.video.pause();
      this.video.srcObject = null;
    }
    this.video = null;
    if (this.canvas !== null) {
      this.canvas.width = 0; // drop the last picture
      this.canvas.height = 0;
    }
    this.canvas = null;
  }
}

/**
 * Keeps the capture socket up (reconnecting) and serves main's camera requests. Returns the
 * function that shuts it all down.
 */
export function startCaptureLink(
  url: string,
  protocols: string[],
  onPreview: (preview: FacePayPreview) => void,
) {
  const camera = new PageCamera();
  let socket: WebSocket | null = null;
  let closed = false;
  let attempt = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const sendControl = (s: WebSocket, message: CaptureControl): void => {
    if (s.readyState === WebSocket.OPEN) s.send(JSON.stringify(message));
  };

  const connect = (): void => {
    if (closed) return;
    const s = new WebSocket(url, protocols);
    s.binaryType = 'arraybuffer';
    socket = s;
    s.onopen = () => {
      attempt = 0;
      sendControl(s, { type: 'hello', role: 'customer-display' });
    };
    s.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      let json: unknown;
      try {
        json = JSON.parse(event.data);
      } catch {
        return;
      }
      if ((json as { type?: unknown }).type === 'preview') {
        const preview = facePayPreview.safeParse((json as { preview?: unknown }).preview);
        if (preview.success) onPreview(preview.data);
        return;
      }
      const control = captureControl.safeParse(json);
      if (!control.success) return;
      if (control.data.type === 'start') {
        void camera.start(
          control.data,
          (frame) => {
            if (s.readyState === WebSocket.OPEN) s.send(frame);
          },
          () => s.bufferedAmount > 0,
          (name) => sendControl(s, { type: 'error', name }),
        );
      } else if (control.data.type === 'stop') {
        camera.stop();
      }
    };
    s.onerror = () => undefined; // a close follows
    s.onclose = () => {
      camera.stop();
      if (socket !== s || closed) return;
      socket = null;
      const delay = Math.min(5_000, 500 * 2 ** Math.min(attempt, 4));
      attempt += 1;
      retry = setTimeout(connect, delay);
    };
  };

  connect();
  const onHide = (): void => camera.stop();
  window.addEventListener('pagehide', onHide);
  return () => {
    closed = true;
    clearTimeout(retry);
    window.removeEventListener('pagehide', onHide);
    camera.stop();
    socket?.close();
    socket = null;
  };
}

/**
 * Electron's camera for face pay: a hidden window owned by main (its own session, which may
 * use the camera and nothing else, from its own app://pos/capture.html page: permissions.ts), whose preload (preload/capture.ts) captures with
 * getUserMedia when asked and posts frames to main over a MessagePort. Frames go straight into a
 * PushFrameSource (newest kept) and on to the face worker; the preview main makes goes to the
 * customer display as the 'facepay.preview' event. Cannot be launched on machines without the
 * Electron runtime; the browser host's path (main/host/capture.ts) is the one tested end to end.
 */
import { BrowserWindow, MessageChannelMain, session, type MessagePortMain } from 'electron';
import { join } from 'node:path';
import { CAPTURE_FPS, CAPTURE_MAX_HEIGHT, CAPTURE_MAX_WIDTH, captureControl } from '../contract';
import type { FacePayCamera, Logger } from '../core';
import { PushFrameError, PushFrameSource, type FrameSource, type PushedFrame } from '../face';
import { guardPermissions } from './permissions';
import { APP_SCHEME, appProtocolHandler, CAPTURE_PAGE_URL } from './protocol';
import { confineContents } from './windows';

const CAPTURE_PORT_CHANNEL = 'capture:port';
const PARTITION = 'capture';

export class CaptureWindow implements FacePayCamera {
  private window: BrowserWindow | null = null;
  private port: MessagePortMain | null = null;
  private active: PushFrameSource | null = null;
  private ready = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly preload: string,
    private readonly logger: Logger,
  ) {}

  /** Opens the hidden window and hands it its end of the channel. */
  start(): void {
    const capture = session.fromPartition(PARTITION);
    // This session serves only the capture page (no renderer files) and grants only the camera.
    if (!capture.protocol.isProtocolHandled(APP_SCHEME))
      capture.protocol.handle(APP_SCHEME, appProtocolHandler(null));
    guardPermissions(capture, () => this.window?.webContents ?? null);
    const window = new BrowserWindow({
      show: false,
      width: 320,
      height: 240,
      // As the screens' windows (windows.ts), in the literal for Electronegativity to read.
      webPreferences: {
        preload: this.preload,
        partition: PARTITION,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        disableBlinkFeatures: 'Auxclick',
        backgroundThrottling: false,
      },
    });
    confineContents(window.webContents);
    this.window = window;
    window.webContents.on('did-finish-load', () => {
      if (this.port !== null) return;
      // The camera's port only to our own capture page, whatever else the window came to show.
      if (window.webContents.getURL() !== CAPTURE_PAGE_URL) {
        this.logger.warn('face pay: the capture window shows another page; no camera for it');
        return;
      }
      const { port1, port2 } = new MessageChannelMain();
      this.port = port1;
      port1.on('message', (event) => this.receive(event.data));
      port1.start();
      window.webContents.postMessage(CAPTURE_PORT_CHANNEL, null, [port2]);
    });
    window.on('closed', () => {
      this.window = null;
      this.port = null;
      this.ready = false;
      this.active?.end();
      this.active = null;
      this.changed();
    });
    void window.loadURL(CAPTURE_PAGE_URL);
  }

  get connected(): boolean {
    return this.ready;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  open(): FrameSource {
    this.stop();
    const source = new PushFrameSource({ maxQueue: 1, description: 'capture window camera' });
    if (this.port === null || !this.ready) {
      source.end();
      return source;
    }
    this.active = source;
    this.port.postMessage({
      type: 'start',
      maxWidth: CAPTURE_MAX_WIDTH,
      maxHeight: CAPTURE_MAX_HEIGHT,
      fps: CAPTURE_FPS,
    });
    return source;
  }

  stop(): void {
    if (this.active === null) return;
    this.port?.postMessage({ type: 'stop' });
    this.active.end();
    this.active = null;
  }

  close(): void {
    this.stop();
    this.window?.destroy();
  }

  private receive(data: unknown): void {
    const control = captureControl.safeParse(data);
    if (control.success) {
      if (control.data.type === 'hello') {
        this.ready = true;
        this.changed();
      } else if (control.data.type === 'error') {
        this.logger.warn('face pay: the capture window reports a camera error', {
          name: control.data.name,
        });
        this.active?.end();
        this.active = null;
      }
      return;
    }
    this.port?.postMessage({ type: 'ack' });
    if (this.active === null) return; // not asked for: dropped unread
    try {
      this.active.push(data as PushedFrame);
    } catch (error) {
      if (!(error instanceof PushFrameError)) throw error;
      this.logger.warn('face pay: a malformed camera frame', { error: error.message });
    }
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

export function capturePreloadPath(buildDir: string): string {
  return join(buildDir, 'preload/capture.cjs');
}

/**
 * Starts the capture window and gives it to face pay. It closes with the terminal's windows (a
 * hidden window must not keep the application alive).
 */
export function startCaptureWindow(
  core: { facePay: { attachCamera(camera: FacePayCamera | null): () => void } },
  buildDir: string,
  terminalWindows: BrowserWindow[],
  logger: Logger,
): CaptureWindow {
  const capture = new CaptureWindow(capturePreloadPath(buildDir), logger);
  capture.start();
  const detach = core.facePay.attachCamera(capture);
  for (const window of terminalWindows) {
    window.once('closed', () => {
      if (terminalWindows.every((w) => w.isDestroyed())) {
        detach();
        capture.close();
      }
    });
  }
  return capture;
}

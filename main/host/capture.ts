/**
 * The browser host's camera: the customer display page captures (getUserMedia) and sends frames
 * over its own WebSocket at /capture, as binary messages in the frame wire format (see
 * main/contract/facepay.ts and main/face/push-source.ts). Only that page's socket (it says
 * hello as the customer display) may push frames, and only while face pay asks for them: main
 * sends {type:'start'} when a session begins and {type:'stop'} when it ends, and drops whatever
 * arrives at any other time. Frames go straight into a PushFrameSource (newest kept, older
 * dropped) and from there to the face worker; nothing is stored, logged or echoed.
 *
 * The preview main makes of each analysed frame goes back to the same page over this socket
 * (never to the cashier's), as {type:'preview', ...} with the contract's facePayPreview shape.
 */
import type { FastifyInstance, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import {
  CAPTURE_FPS,
  CAPTURE_MAX_FRAME_BYTES,
  CAPTURE_MAX_HEIGHT,
  CAPTURE_MAX_WIDTH,
  captureControl,
  type CaptureControl,
  type FacePayPreview,
} from '../contract';
import type { FacePayCamera, Logger } from '../core';
import { PushFrameSource, type FrameSource } from '../face';
import type { Identity } from './access';

export const CAPTURE_PATH = '/capture';
/** Control messages are tiny; anything bigger as text is refused. */
const MAX_CONTROL_BYTES = 1024;
/** Malformed frames tolerated in one session before the camera is treated as broken. */
const MAX_BAD_FRAMES = 10;

interface Page {
  socket: WebSocket;
  /** Which display this page is ('local' or a paired device's id). */
  display: string;
  customerDisplay: boolean;
  /** Frames that arrived while main was not asking (dropped unread). */
  unasked: number;
}

function bytesOf(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

export class CaptureHub implements FacePayCamera {
  private readonly pages: Page[] = [];
  private active: { page: Page; source: PushFrameSource; bad: number } | null = null;
  private readonly listeners = new Set<() => void>();
  /** Counters for tests and the operator (never pixel data). */
  readonly stats = { frames: 0, dropped: 0, refused: 0 };

  /**
   * `isCustomers`: whether a display is the one the till says is the customer's; only its page
   * is ever asked for frames, however many displays say hello.
   */
  constructor(
    private readonly logger: Logger,
    private readonly isCustomers: (display: string) => boolean = () => true,
  ) {}

  get connected(): boolean {
    return this.customersPage() !== undefined;
  }

  private customersPage(): Page | undefined {
    return this.pages.filter((p) => p.customerDisplay && this.isCustomers(p.display)).at(-1);
  }

  /** Cuts off every page of a display (an unpaired device). */
  closeDisplay(display: string): void {
    for (const page of this.pages.filter((p) => p.display === display))
      page.socket.close(4003, 'this display was unpaired');
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  open(): FrameSource {
    this.stop();
    const source = new PushFrameSource({ maxQueue: 1, description: 'customer display camera' });
    const page = this.customersPage();
    if (page === undefined) {
      source.end();
      return source;
    }
    this.active = { page, source, bad: 0 };
    this.send(page, {
      type: 'start',
      maxWidth: CAPTURE_MAX_WIDTH,
      maxHeight: CAPTURE_MAX_HEIGHT,
      fps: CAPTURE_FPS,
    });
    return source;
  }

  stop(): void {
    const active = this.active;
    if (active === null) return;
    this.active = null;
    this.send(active.page, { type: 'stop' });
    active.source.end();
  }

  /** The preview of an analysed frame, to the page whose camera it came from. */
  sendPreview(preview: FacePayPreview): void {
    const page = this.active?.page ?? this.customersPage();
    if (page !== undefined && page.socket.readyState === page.socket.OPEN) {
      page.socket.send(JSON.stringify({ type: 'preview', preview }));
    }
  }

  attach(socket: WebSocket, display: string): void {
    const page: Page = { socket, display, customerDisplay: false, unasked: 0 };
    this.pages.push(page);
    socket.on('message', (data, isBinary) => this.receive(page, data, isBinary));
    socket.on('close', () => {
      const at = this.pages.indexOf(page);
      if (at >= 0) this.pages.splice(at, 1);
      if (this.active?.page === page) {
        this.logger.warn('face pay: the capture page went away during a session');
        this.active.source.end();
        this.active = null;
      }
      this.changed();
    });
  }

  close(): void {
    this.stop();
    for (const page of this.pages) page.socket.terminate();
    this.pages.length = 0;
    this.changed();
  }

  private receive(page: Page, data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.frame(page, bytesOf(data));
      return;
    }
    const text = bytesOf(data);
    if (text.length > MAX_CONTROL_BYTES) {
      this.refuse(page, 'control message too large');
      return;
    }
    let message: CaptureControl;
    try {
      const parsed = captureControl.safeParse(JSON.parse(Buffer.from(text).toString('utf8')));
      if (!parsed.success) throw new Error('not a capture control message');
      message = parsed.data;
    } catch {
      this.refuse(page, 'unreadable control message');
      return;
    }
    if (message.type === 'hello') {
      page.customerDisplay = true;
      this.changed();
    } else if (message.type === 'error') {
      this.logger.warn('face pay: the capture page reports a camera error', {
        name: message.name,
      });
      if (this.active?.page === page) {
        this.active.source.end();
        this.active = null;
      }
    }
  }

  private frame(page: Page, bytes: Uint8Array): void {
    const active = this.active;
    if (active === null || active.page !== page) {
      // Not asked for (no session, or not this page): dropped unread. Remind it to stop.
      this.stats.dropped += 1;
      page.unasked += 1;
      if (page.unasked % 20 === 1) this.send(page, { type: 'stop' });
      return;
    }
    if (bytes.length > CAPTURE_MAX_FRAME_BYTES) {
      active.bad += 1;
    } else {
      try {
        active.source.pushWire(bytes);
        this.stats.frames += 1;
        return;
      } catch (error) {
        active.bad += 1;
        if (active.bad === 1) {
          this.logger.warn('face pay: a malformed camera frame', {
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    }
    if (active.bad > MAX_BAD_FRAMES) {
      this.logger.warn('face pay: too many malformed camera frames; stopping the camera');
      this.stop();
    }
  }

  private refuse(page: Page, why: string): void {
    this.stats.refused += 1;
    this.logger.warn(`face pay: capture socket: ${why}`);
    page.socket.close(1008, why);
  }

  private send(page: Page, message: CaptureControl): void {
    if (page.socket.readyState === page.socket.OPEN) page.socket.send(JSON.stringify(message));
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/**
 * GET /capture (WebSocket): the host's door checks (Host, Origin, a key); only a customer
 * display's key may open it, staff screens have no camera to give.
 */
export function registerCaptureRoute(
  app: FastifyInstance,
  hub: CaptureHub,
  preValidation: preValidationAsyncHookHandler,
  identityOf: (request: FastifyRequest) => Identity | undefined,
): void {
  app.get(CAPTURE_PATH, { websocket: true, preValidation }, (socket, request) => {
    const identity = identityOf(request);
    if (identity?.kind !== 'customer' || identity.display === undefined) {
      socket.close(1008, 'only a customer display has a camera to give');
      return;
    }
    hub.attach(socket, identity.display);
  });
}

/**
 * What face pay's integration tests, the benchmark and the end-to-end suite share:
 * - the enrolment embeddings of the camera clip's person (camera.json's enrolWith images, through
 *   FaceEngine.embedFile), and payers enrolled with them;
 * - a recording proxy between the terminal and the cloud (every request that reaches it logged on
 *   arrival, every answered exchange with its bodies, and a hook to drop an answer, as a network
 *   failure would);
 * - a capture page stand-in: a WebSocket client on the host's /capture that says hello as the
 *   customer display and, when main asks, sends a Y4M clip's frames in the wire format at the
 *   camera's pace, as the browser's capture code does.
 */
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { AdminClient } from '../../../cloud/client/admin';
import { captureControl, encodeCaptureFrame, facePayPreview } from '../../contract';
import type { FacePayPreview } from '../../contract';
import { FaceEngine, Y4mFileSource } from '../../face';
import { facesDir } from '../../face/dev-set';
import { wsProtocolsFor } from '../access';

export const FACES_DIR = facesDir();
export const FACE_CLIP = join(FACES_DIR, 'camera/face.y4m');
export const EMPTY_CLIP = join(FACES_DIR, 'camera/empty.y4m');

interface CameraJson {
  face: { enrolWith: string[]; identity: string };
}

/** The clip person's enrolment images, as camera.json names them. */
export function enrolmentImages(): string[] {
  const camera = JSON.parse(
    readFileSync(join(FACES_DIR, 'camera/camera.json'), 'utf8'),
  ) as CameraJson;
  return camera.face.enrolWith.map((f) => join(FACES_DIR, f));
}

/** Embeddings of the enrolment images (each must hold one face). */
export async function enrolmentEmbeddings(engine?: FaceEngine): Promise<number[][]> {
  const own = engine ?? (await FaceEngine.start());
  try {
    const out: number[][] = [];
    for (const file of enrolmentImages()) {
      const analysis = await own.embedFile(file);
      const embedding = analysis.face?.embedding;
      if (embedding === undefined) throw new Error(`no face embedded in ${file}`);
      out.push(Array.from(embedding));
    }
    return out;
  } finally {
    if (engine === undefined) await own.close();
  }
}

export const CONSENT = { textVersion: 'face-pay-consent-v1', recordedBy: 'test' } as const;

/** A payer with a balance, enrolled with the given templates. */
export async function enrolPayer(
  admin: AdminClient,
  input: { name: string; phone: string; balanceFen: number; templates: number[][] },
): Promise<string> {
  const payer = await admin.createPayer({
    name: input.name,
    phone: input.phone,
    balanceFen: input.balanceFen,
  });
  await admin.enrol(payer.payerId, input.templates, { source: 'vectors', consent: CONSENT });
  return payer.payerId;
}

// ---------------------------------------------------------------------------------------------

export interface Exchange {
  method: string;
  path: string;
  status: number;
  requestHeaders: Record<string, string>;
  requestBody: string;
  responseBody: string;
}

/** A request as it reached the proxy, whether or not the cloud ever answered it. */
export interface ProxiedRequest {
  method: string;
  path: string;
  /** Date.now() on arrival. */
  at: number;
  /** answered: the cloud's answer came back (passed on or dropped); unreachable: no cloud. */
  outcome: 'pending' | 'answered' | 'unreachable';
}

export interface RecordingProxy {
  url: string;
  /** Where requests go (changeable, e.g. to a restarted cloud). */
  upstream: string;
  /** Every request that reached the proxy, in arrival order (answered or not). */
  requests: ProxiedRequest[];
  /** The exchanges the cloud answered, with their bodies. */
  exchanges: Exchange[];
  /**
   * Called with each upstream answer before it is passed on; return 'drop' to cut the
   * connection instead (the terminal sees no answer). May be async (e.g. kill the cloud first).
   */
  intercept: ((exchange: Exchange) => 'pass' | 'drop' | Promise<'pass' | 'drop'>) | null;
  close(): Promise<void>;
}

/** A plain HTTP proxy to `upstream` that records every request and answer. */
export async function startRecordingProxy(upstream: string): Promise<RecordingProxy> {
  const proxy: RecordingProxy = {
    url: '',
    upstream,
    requests: [],
    exchanges: [],
    intercept: null,
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const arrival: ProxiedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        at: Date.now(),
        outcome: 'pending',
      };
      proxy.requests.push(arrival);
      const target = new URL(proxy.upstream);
      const requestBody = Buffer.concat(chunks);
      const out = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (answer) => {
          const back: Buffer[] = [];
          answer.on('data', (c: Buffer) => back.push(c));
          answer.on('end', () => {
            arrival.outcome = 'answered';
            const exchange: Exchange = {
              method: req.method ?? '',
              path: req.url ?? '',
              status: answer.statusCode ?? 0,
              requestHeaders: Object.fromEntries(
                Object.entries(req.headers).map(([k, v]) => [k, String(v)]),
              ),
              requestBody: requestBody.toString('utf8'),
              responseBody: Buffer.concat(back).toString('utf8'),
            };
            proxy.exchanges.push(exchange);
            void Promise.resolve(proxy.intercept?.(exchange) ?? 'pass').then((verdict) => {
              if (verdict === 'drop') {
                req.socket.destroy();
                return;
              }
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              res.end(Buffer.concat(back));
            });
          });
        },
      );
      // The cloud is down: the terminal sees no answer, as on a real network.
      out.on('error', () => {
        arrival.outcome = 'unreachable';
        req.socket.destroy();
      });
      out.end(requestBody);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  proxy.url = `http://127.0.0.1:${port}`;
  proxy.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return proxy;
}

// ---------------------------------------------------------------------------------------------

export interface CapturePageOptions {
  /** Send frames at the clip's own pace (10 fps) rather than as fast as they are consumed. */
  paced?: boolean;
  /** Send the hello (be the customer display). Default true. */
  hello?: boolean;
  /** The key the page presents (the host's display secret, or a paired device's token). */
  key?: string;
  /** wss only: the host's certificate, as pinned (see ws-client's pinnedCertificate). */
  ca?: string;
}

/**
 * Stands in for the customer display's capture code: hello, then on {type:'start'} the clip's
 * frames (looping) as RGBA wire frames, until {type:'stop'}.
 */
export class CapturePage {
  readonly previews: FacePayPreview[] = [];
  readonly controls: string[] = [];
  framesSent = 0;
  /** performance.now() when the first frame of the current start was sent. */
  firstFrameAt: number | null = null;
  private source: Y4mFileSource | null = null;
  private timer: NodeJS.Timeout | null = null;
  private sending = false;

  private constructor(
    private readonly socket: WebSocket,
    private readonly clip: string,
    private readonly options: CapturePageOptions,
  ) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const json = JSON.parse(String(data)) as { type?: string; preview?: unknown };
      if (json.type === 'preview') {
        this.previews.push(facePayPreview.parse(json.preview));
        return;
      }
      const control = captureControl.parse(json);
      this.controls.push(control.type);
      if (control.type === 'start') this.start();
      else if (control.type === 'stop') this.stop();
    });
  }

  static async connect(
    hostUrl: string,
    clip: string,
    options: CapturePageOptions = {},
  ): Promise<CapturePage> {
    const socket = new WebSocket(
      `${hostUrl.replace(/^http/, 'ws')}/capture`,
      options.key === undefined ? [] : wsProtocolsFor(options.key),
      { headers: { origin: hostUrl }, ...(options.ca === undefined ? {} : { ca: options.ca }) },
    );
    await new Promise<void>((r, reject) => {
      socket.once('open', () => r());
      socket.once('error', reject);
    });
    const page = new CapturePage(socket, clip, options);
    if (options.hello !== false)
      socket.send(JSON.stringify({ type: 'hello', role: 'customer-display' }));
    return page;
  }

  /** Send something raw (hostile tests). */
  sendRaw(data: Buffer | string): void {
    this.socket.send(data);
  }

  get streaming(): boolean {
    return this.timer !== null;
  }

  async close(): Promise<void> {
    this.stop();
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((r) => {
      this.socket.once('close', () => r());
      this.socket.close();
    });
  }

  private start(): void {
    this.stop();
    this.firstFrameAt = null;
    this.source = new Y4mFileSource(this.clip, { loop: true });
    const interval = this.options.paced === false ? 5 : 100;
    this.timer = setInterval(() => void this.sendOne(), interval);
  }

  private stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.source?.close();
    this.source = null;
  }

  private async sendOne(): Promise<void> {
    const source = this.source;
    if (source === null || this.sending) return;
    // As the browser does: no new frame while the last one is still being sent.
    if (this.socket.bufferedAmount > 0) return;
    this.sending = true;
    try {
      const frame = await source.next();
      if (frame === null || this.source !== source) return;
      const rgba = new Uint8Array(frame.width * frame.height * 4);
      for (let i = 0, j = 0; i < frame.width * frame.height; i++, j += 3) {
        rgba[i * 4] = frame.data[j] as number;
        rgba[i * 4 + 1] = frame.data[j + 1] as number;
        rgba[i * 4 + 2] = frame.data[j + 2] as number;
        rgba[i * 4 + 3] = 255;
      }
      const now = performance.now();
      this.firstFrameAt ??= now;
      this.socket.send(encodeCaptureFrame(rgba, frame.width, frame.height, now));
      this.framesSent += 1;
    } finally {
      this.sending = false;
    }
  }
}

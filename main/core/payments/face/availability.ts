/**
 * Availability: is face pay offered now? It needs a cloud link (core.attachCloud) whose
 * `/v1/health` answers (probed every probeEveryMs, and soon after any unreachable call), a camera
 * (a capture page or window connected) and a running face engine, which starts only once a cloud
 * link and a camera are attached (so core tests never start it). Changes are announced as the
 * `facepay.availability` event, once per change.
 */
import type { FacePayAvailability, FacePayUnavailableReason } from '../../../contract';
import type { Logger } from '../../logger';
import { withTimeout } from './lost-answers';
import type { FaceBackend, FaceBackendFactory, FacePayCamera, FacePayLink } from './ports';

export const UNAVAILABLE_MESSAGES: Record<FacePayUnavailableReason, string> = {
  NO_CLOUD: 'Face pay is not set up on this terminal.',
  OFFLINE: 'Face pay is offline: the payment service does not answer.',
  NO_CAMERA: 'No camera is connected.',
  NO_FACE_ENGINE: 'The face models could not be loaded.',
  STARTING: 'Face pay is starting.',
};

/** How long closing waits for a face engine that is still loading its models. */
const ENGINE_START_WAIT_MS = 20_000;

export interface AvailabilityOptions {
  logger: Logger;
  announce: (availability: FacePayAvailability) => void;
  /** Starts the face engine (lazily, once a cloud link and a camera are attached). */
  face: FaceBackendFactory;
  /** Is the cloud there? Default: GET <baseUrl>/v1/health answers ok within 3 s. */
  probe?: (link: FacePayLink) => Promise<boolean>;
  probeEveryMs: number;
}

async function defaultProbe(link: FacePayLink): Promise<boolean> {
  try {
    const response = await fetch(`${link.baseUrl.replace(/\/+$/, '')}/v1/health`, {
      signal: AbortSignal.timeout(3_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** The cloud link, the camera and the face engine face pay runs on, and whether it is offered. */
export class Availability {
  private readonly probe: (link: FacePayLink) => Promise<boolean>;
  private currentLink: FacePayLink | null = null;
  private currentCamera: FacePayCamera | null = null;
  private cameraOff: (() => void) | null = null;
  private currentBackend: FaceBackend | null = null;
  private backendState: 'none' | 'starting' | 'ready' | 'failed' = 'none';
  /** null: not known yet (first probe pending). */
  private cloudUp: boolean | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private probing = false;
  private lastAnnounced = '';
  private closed = false;
  /** The face engine's start while it loads (then done, whichever way it went). */
  private starting: Promise<void> | null = null;

  constructor(private readonly options: AvailabilityOptions) {
    this.probe = options.probe ?? defaultProbe;
  }

  get link(): FacePayLink | null {
    return this.currentLink;
  }

  get camera(): FacePayCamera | null {
    return this.currentCamera;
  }

  get backend(): FaceBackend | null {
    return this.currentBackend;
  }

  /** The terminal's cloud link (or null when it goes away). Face pay is offered only with one. */
  attachCloud(link: FacePayLink | null): void {
    this.currentLink = link;
    this.cloudUp = null;
    if (this.probeTimer !== null) clearInterval(this.probeTimer);
    this.probeTimer = null;
    if (link !== null && !this.closed) {
      void this.probeNow();
      this.probeTimer = setInterval(() => void this.probeNow(), this.options.probeEveryMs);
      this.probeTimer.unref();
    }
    this.maybeStartBackend();
    this.announce();
  }

  /** The camera frames come from (the browser host's capture page, Electron's window). */
  attachCamera(camera: FacePayCamera | null): () => void {
    this.cameraOff?.();
    this.currentCamera = camera;
    this.cameraOff = camera?.onChange(() => this.announce()) ?? null;
    this.maybeStartBackend();
    this.announce();
    return () => {
      if (this.currentCamera === camera) this.attachCamera(null);
    };
  }

  current(): FacePayAvailability {
    const reason = this.unavailableReason();
    return { available: reason === null, reason };
  }

  unavailableReason(): FacePayUnavailableReason | null {
    if (this.currentLink === null) return 'NO_CLOUD';
    if (this.cloudUp === false) return 'OFFLINE';
    if (this.currentCamera === null || !this.currentCamera.connected) return 'NO_CAMERA';
    if (this.backendState === 'failed') return 'NO_FACE_ENGINE';
    if (this.backendState !== 'ready' || this.cloudUp === null) return 'STARTING';
    return null;
  }

  /** A call to the cloud went unanswered: offline until a probe says otherwise. */
  markCloudDown(): void {
    if (this.cloudUp === false) return;
    this.cloudUp = false;
    this.announce();
    // Look again soon rather than waiting out the probe period.
    setTimeout(() => void this.probeNow(), 1_000).unref();
  }

  /**
   * No more probes or engine starts. An engine still loading its models is waited for (it closes
   * itself when it is ready, see maybeStartBackend): a process that exits while the worker is
   * inside ONNX Runtime's start-up aborts, or hangs until the load is over.
   */
  async stop(): Promise<void> {
    this.closed = true;
    const starting = this.starting;
    this.starting = null;
    if (starting !== null)
      await withTimeout(starting, ENGINE_START_WAIT_MS, 'face engine start').catch(() => undefined);
    if (this.probeTimer !== null) clearInterval(this.probeTimer);
  }

  /** After stop(): lets go of the camera and closes the face engine. */
  async release(): Promise<void> {
    this.cameraOff?.();
    const backend = this.currentBackend;
    this.currentBackend = null;
    await backend?.close().catch(() => undefined);
  }

  private announce(): void {
    const now = this.current();
    const text = JSON.stringify(now);
    if (text === this.lastAnnounced) return;
    this.lastAnnounced = text;
    this.options.announce(now);
  }

  private maybeStartBackend(): void {
    if (
      this.closed ||
      this.backendState !== 'none' ||
      this.currentLink === null ||
      this.currentCamera === null
    )
      return;
    this.backendState = 'starting';
    this.starting = this.options.face().then(
      async (backend) => {
        if (this.closed) {
          await backend.close().catch(() => undefined);
          return;
        }
        this.currentBackend = backend;
        this.backendState = 'ready';
        this.options.logger.info('face pay: face engine ready');
        this.announce();
      },
      (error: unknown) => {
        this.backendState = 'failed';
        this.options.logger.error('face pay: the face engine did not start', {
          error: error instanceof Error ? error.message : String(error),
        });
        this.announce();
      },
    );
  }

  private async probeNow(): Promise<void> {
    const link = this.currentLink;
    if (link === null || this.probing) return;
    this.probing = true;
    try {
      const up = await this.probe(link);
      if (this.currentLink !== link) return;
      if (up !== this.cloudUp) {
        this.options.logger.info(up ? 'face pay: cloud reachable' : 'face pay: cloud unreachable');
      }
      this.cloudUp = up;
      this.announce();
    } finally {
      this.probing = false;
    }
  }
}

/**
 * The browser host: serves the renderer bundle and carries the typed contract over a WebSocket
 * at /ws. Used by `npm start` where Electron is absent, by the end-to-end suites, and for
 * customer displays on other devices when the store turns remote displays on.
 *
 * Two listeners, each a door of its own (access.ts says who may use them):
 * - loopback (127.0.0.1, plain HTTP): the staff screens, which present the per-launch staff
 *   secret, and the local customer display, which presents the per-launch display secret;
 * - remote displays (opt-in, HTTPS with the terminal's self-signed certificate, tls.ts): the
 *   customer's page, the pairing exchange (POST /pair) and the sockets of paired devices, which
 *   present their device token. Nothing that arrives there is ever staff, whatever its address.
 * Which listener a request came in on is the only "is it remote" decision: no address tests.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import {
  CAPTURE_MAX_FRAME_BYTES,
  CSP,
  MAX_MESSAGE_BYTES,
  PosError,
  REGISTER_WS_PROTOCOL,
  errorToWire,
  type EventPayload,
} from '../contract';
import { eventVisibleTo, silentLogger, type Caller, type Logger, type PosCore } from '../core';
import {
  WS_PROTOCOL,
  hostAllowed,
  hostsFor,
  identifyLocal,
  keyFromProtocols,
  loopbackHosts,
  newLaunchSecrets,
  originAllowed,
  REMOTE_SCREEN_PATHS,
  type Identity,
  type LaunchSecrets,
} from './access';
import { CaptureHub, registerCaptureRoute } from './capture';
import {
  startRegisterListener,
  wireRegisterEvents,
  type RegisterCallbackOptions,
  type RemoteRegisterOptions,
} from './register/listener';
import { registerAuthHook, registerRegisterRoutes } from './register/routes';
import { handleSocketMessage } from './socket';
import type { TlsIdentity } from './tls';

/** The three screens are client-side routes of one bundle. */
const SCREEN_PATHS = ['/', '/customer', '/manager'];

export interface RemoteDisplayOptions {
  port: number;
  /** The address to listen on (default: all interfaces). */
  bindAddress?: string;
  /** The names and addresses devices reach the terminal by (the Host allow-list). */
  names: readonly string[];
  tls: TlsIdentity;
}

export interface HostOptions {
  core: PosCore;
  port: number;
  rendererDir?: string;
  logger?: Logger;
  /** The per-launch secrets (made here unless given). */
  secrets?: LaunchSecrets;
  /** Remote displays: off unless given. */
  remote?: RemoteDisplayOptions | null;
  /** The register API on the LAN (--remote-registers): off unless given. */
  remoteRegisters?: RemoteRegisterOptions | null;
  /** Register callbacks' retry schedule and timeout (tests shorten them). */
  registerCallbacks?: RegisterCallbackOptions;
}

export interface RunningHost {
  app: FastifyInstance;
  /** The customer display's camera (face pay's frames come through it). */
  capture: CaptureHub;
  /** The loopback origin, http://127.0.0.1:PORT (no secret in it). */
  url: string;
  port: number;
  /** This launch's secrets: the staff screens and the local customer display present them. */
  secrets: LaunchSecrets;
  /** A staff screen's URL, the staff secret in its fragment (never sent to a server). */
  staffUrl(path?: string): string;
  /** The local customer display's URL, the display secret in its fragment. */
  displayUrl(): string;
  remote: { app: FastifyInstance; url: string; port: number; fingerprint: string } | null;
  /** The register API's LAN listener (--remote-registers), or null. */
  remoteRegisters: { app: FastifyInstance; url: string; port: number; fingerprint: string } | null;
  close(): Promise<void>;
}

export const DEFAULT_RENDERER_DIR = resolve(import.meta.dirname, '../../build/renderer');

/** One listener's rules: the Host names it answers to, its scheme, whose keys it takes. */
interface Door {
  remote: boolean;
  scheme: 'http' | 'https';
  hosts: ReadonlySet<string>;
  identify(key: string | undefined): Identity | null;
}

/** Who presented what on a WebSocket upgrade, found once in preValidation. */
const identities = new WeakMap<FastifyRequest['raw'], Identity>();

/** The identity of a WebSocket upgrade, or the refusal already sent. */
export function wsPreValidation(door: Door) {
  return async (
    request: FastifyRequest,
    reply: { code(n: number): { send(body: unknown): unknown } },
  ) => {
    if (!originAllowed(request.headers.origin, door.scheme, door.hosts))
      return reply.code(403).send({ error: 'cross-origin WebSocket refused' });
    const identity = door.identify(keyFromProtocols(request.headers['sec-websocket-protocol']));
    if (identity === null)
      return reply.code(401).send({ error: 'this screen was not opened by the terminal' });
    identities.set(request.raw, identity);
    return undefined;
  };
}

export function identityOf(request: FastifyRequest): Identity | undefined {
  return identities.get(request.raw);
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const { core } = options;
  const logger = options.logger ?? silentLogger;
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(
      `The renderer is not built (${rendererDir}/index.html is missing): run npm run build`,
    );
  }
  const secrets = options.secrets ?? newLaunchSecrets();

  /** Each open contract socket and the core's caller for it. */
  const sockets = new Map<WebSocket, Caller>();
  const capture = new CaptureHub(logger, (display) => core.displays.isCustomers(display));
  const detachCamera = core.facePay.attachCamera(capture);
  const unsubscribe = core.onEvent((name, payload) => {
    if (name === 'facepay.preview') {
      // Camera pixels (even small) go back only to the page whose camera it is.
      capture.sendPreview(payload as EventPayload<'facepay.preview'>);
      return;
    }
    const frame = JSON.stringify({ kind: 'event', name, payload });
    for (const [socket, caller] of sockets) {
      if (socket.readyState === socket.OPEN && eventVisibleTo(caller.kind, name))
        socket.send(frame);
    }
  });
  // An unpaired device is cut off at once: its contract sockets and its camera.
  const stopRevocations = core.displays.onRevoked((deviceId) => {
    for (const [socket, caller] of sockets)
      if (caller.display === deviceId) socket.close(4003, 'this display was unpaired');
    capture.closeDisplay(deviceId);
  });

  // The register API: its events go to registers' sockets and callback URLs; an unpaired
  // register's sockets close at once.
  const registerEvents = wireRegisterEvents(core, logger, options.registerCallbacks);
  const registerHub = registerEvents.hub;

  async function buildApp(door: Door, tls: TlsIdentity | null): Promise<FastifyInstance> {
    const app = Fastify({
      // No request logging: nothing about who asked belongs in the logs here.
      logger: false,
      bodyLimit: MAX_MESSAGE_BYTES,
      // Closing drops every connection, busy or kept alive: otherwise a screen still loading
      // its files holds the terminal's shutdown for the keep-alive timeout (72 s).
      forceCloseConnections: true,
      ...(tls !== null ? { https: { key: tls.key, cert: tls.cert } } : {}),
    });

    // Contract messages stay under MAX_MESSAGE_BYTES (socket.ts checks); only /capture's
    // camera frames are larger.
    await app.register(fastifyWebsocket, {
      options: {
        maxPayload: Math.max(MAX_MESSAGE_BYTES, CAPTURE_MAX_FRAME_BYTES),
        // Echo our protocol only: the key beside it is never sent back.
        handleProtocols: (offered: Set<string>) =>
          offered.has(WS_PROTOCOL)
            ? WS_PROTOCOL
            : offered.has(REGISTER_WS_PROTOCOL)
              ? REGISTER_WS_PROTOCOL
              : false,
      },
    });
    // First, for every request (pages, files, WebSocket upgrades): a Host this listener serves.
    // Added after the WebSocket plugin so that its own onRequest marks an upgrade first, and
    // its onResponse then destroys a refused upgrade's socket (else a refused client could
    // hold it open, and with it the host's shutdown).
    app.addHook('onRequest', async (request, reply) => {
      if (!hostAllowed(request.headers.host, door.hosts))
        return reply.code(421).send({ error: 'this host name is not served here' });
      reply.header('Content-Security-Policy', CSP);
      reply.header('X-Content-Type-Options', 'nosniff');
      reply.header('X-Frame-Options', 'DENY');
      reply.header('Referrer-Policy', 'no-referrer');
      if (door.scheme === 'https') reply.header('Strict-Transport-Security', 'max-age=31536000');
      // The register API on loopback: its token checked before anything is read.
      if (!door.remote) return registerAuthHook(core, request, reply);
      return undefined;
    });
    if (!door.remote) registerRegisterRoutes(app, { core, hub: registerHub, logger });

    // One wildcard route that looks files up on request: listing the bundle's files as routes
    // at start (wildcard: false globs ~130 files, most of them font subsets) cost the cold
    // start ~40 ms. Unknown paths and dotfiles (the build stamp) get a 404.
    await app.register(fastifyStatic, {
      root: rendererDir,
      index: false,
      wildcard: true,
      dotfiles: 'ignore',
    });

    registerCaptureRoute(app, capture, wsPreValidation(door), identityOf);

    app.get('/ws', { websocket: true, preValidation: wsPreValidation(door) }, (socket, request) => {
      const identity = identityOf(request);
      if (identity === undefined) {
        socket.close(1008, 'no identity');
        return;
      }
      // One caller per connection: its manager session (if any) dies with it.
      const caller = core.openCaller(identity.kind, identity.display);
      sockets.set(socket, caller);
      socket.on('close', () => {
        sockets.delete(socket);
        core.closeCaller(caller);
      });
      socket.on('message', (data, isBinary) => {
        void handleSocketMessage(core, caller, data, isBinary).then((reply) => {
          if (socket.readyState === socket.OPEN) socket.send(reply);
        });
      });
    });

    for (const path of SCREEN_PATHS) {
      app.get(path, (_request, reply) => {
        if (door.remote && !REMOTE_SCREEN_PATHS.has(path))
          return reply
            .code(403)
            .send({ error: 'only the customer display may be opened remotely' });
        return reply.type('text/html').sendFile('index.html');
      });
    }

    if (door.remote) {
      // A device exchanges the code the till shows for its own token (displays.ts burns the
      // code after a few wrong guesses). Small body, TLS only: this listener has no plain HTTP.
      app.post('/pair', { bodyLimit: 1024 }, (request, reply) => {
        const body = request.body as { code?: unknown; name?: unknown } | null;
        const code = typeof body?.code === 'string' ? body.code : '';
        const name = typeof body?.name === 'string' ? body.name : '';
        try {
          const { device, token } = core.displays.exchange(code, name);
          return reply.send({ deviceId: device.id, token });
        } catch (error) {
          const posError = PosError.is(error) ? error : new PosError('INTERNAL', 'pairing failed');
          return reply
            .code(posError.code === 'FORBIDDEN' ? 403 : 500)
            .send({ error: errorToWire(posError) });
        }
      });
    }
    return app;
  }

  // Filled in once the port is known (port 0 picks a free one); the hooks read it per request.
  const localHosts = new Set<string>();
  const app = await buildApp(
    {
      remote: false,
      scheme: 'http',
      hosts: localHosts,
      identify: (key) => identifyLocal(key, secrets),
    },
    null,
  );
  await app.listen({ port: options.port, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  for (const host of loopbackHosts(port)) localHosts.add(host);

  let remote: RunningHost['remote'] = null;
  const remoteOptions = options.remote ?? null;
  if (remoteOptions !== null) {
    const remoteHosts = new Set<string>();
    const remoteApp = await buildApp(
      {
        remote: true,
        scheme: 'https',
        hosts: remoteHosts,
        identify: (key) => {
          const device = key === undefined ? null : core.displays.authenticate(key);
          return device === null ? null : { kind: 'customer', display: device.id };
        },
      },
      remoteOptions.tls,
    );
    try {
      await remoteApp.listen({
        port: remoteOptions.port,
        host: remoteOptions.bindAddress ?? '0.0.0.0',
      });
    } catch (error) {
      await app.close();
      throw error;
    }
    const remoteAddress = remoteApp.server.address();
    const remotePort =
      typeof remoteAddress === 'object' && remoteAddress !== null
        ? remoteAddress.port
        : remoteOptions.port;
    for (const host of hostsFor(remoteOptions.names, remotePort)) remoteHosts.add(host);
    const first = [...remoteHosts][0] ?? `localhost:${remotePort}`;
    remote = {
      app: remoteApp,
      port: remotePort,
      url: `https://${first}`,
      fingerprint: remoteOptions.tls.fingerprint,
    };
    core.displays.setRemote({ url: `${remote.url}/customer`, fingerprint: remote.fingerprint });
  }

  let remoteRegisters: RunningHost['remoteRegisters'] = null;
  if (options.remoteRegisters) {
    try {
      const listener = await startRegisterListener(
        core,
        registerHub,
        logger,
        options.remoteRegisters,
      );
      remoteRegisters = { ...listener, fingerprint: options.remoteRegisters.tls.fingerprint };
    } catch (error) {
      registerEvents.close();
      await Promise.all([app.close(), remote?.app.close()]);
      throw error;
    }
  }

  const url = `http://127.0.0.1:${port}`;
  core.registers.setUrls(
    url,
    remoteRegisters === null
      ? null
      : { url: remoteRegisters.url, fingerprint: remoteRegisters.fingerprint },
  );
  return {
    app,
    port,
    url,
    capture,
    secrets,
    staffUrl: (path = '/') => `${url}${path}#k=${secrets.staff}`,
    displayUrl: () => `${url}/customer#k=${secrets.display}`,
    remote,
    remoteRegisters,
    async close() {
      unsubscribe();
      registerEvents.close();
      stopRevocations();
      detachCamera();
      capture.close();
      core.displays.setRemote(null);
      for (const socket of sockets.keys()) socket.terminate();
      await Promise.all([app.close(), remote?.app.close(), remoteRegisters?.app.close()]);
    },
  };
}

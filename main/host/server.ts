/**
 * The browser host: serves the renderer bundle and carries the typed contract over a WebSocket
 * at /ws. Used by `npm start` where Electron is absent, by the end-to-end suites, and for a
 * customer display on another device when the store turns remote displays on.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { CAPTURE_MAX_FRAME_BYTES, CSP, MAX_MESSAGE_BYTES, type EventPayload } from '../contract';
import { eventVisibleTo, silentLogger, type Caller, type Logger, type PosCore } from '../core';
import {
  callerKindFor,
  checkAccess,
  originAllowed,
  screenAllowed,
  type AccessPolicy,
} from './access';
import { CaptureHub, registerCaptureRoute } from './capture';
import { handleSocketMessage } from './socket';

/** The three screens are client-side routes of one bundle. */
const SCREEN_PATHS = ['/', '/customer', '/manager'];

export interface HostOptions {
  core: PosCore;
  port: number;
  access: AccessPolicy;
  rendererDir?: string;
  logger?: Logger;
}

export interface RunningHost {
  app: FastifyInstance;
  /** The customer display's camera (face pay's frames come through it). */
  capture: CaptureHub;
  url: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_RENDERER_DIR = resolve(import.meta.dirname, '../../build/renderer');

function queryParam(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

function tokenOf(request: FastifyRequest): string | undefined {
  return queryParam(request, 'token');
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const { core, access } = options;
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(
      `The renderer is not built (${rendererDir}/index.html is missing): run npm run build`,
    );
  }

  const app = Fastify({
    // No request logging: URLs may carry the pairing token; the core logs what matters.
    logger: false,
    bodyLimit: MAX_MESSAGE_BYTES,
    // Closing drops every connection, busy or kept alive: otherwise a screen still loading its
    // files holds the terminal's shutdown for the keep-alive timeout (72 s).
    forceCloseConnections: true,
  });

  app.addHook('onRequest', async (request, reply) => {
    const decision = checkAccess(access, { remoteAddress: request.ip, token: tokenOf(request) });
    if (!decision.allowed) return reply.code(decision.status).send({ error: decision.reason });
    reply.header('Content-Security-Policy', CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    return undefined;
  });

  // Contract messages stay under MAX_MESSAGE_BYTES (socket.ts checks); only /capture's camera
  // frames are larger.
  await app.register(fastifyWebsocket, {
    options: { maxPayload: Math.max(MAX_MESSAGE_BYTES, CAPTURE_MAX_FRAME_BYTES) },
  });
  // One wildcard route that looks files up on request: listing the bundle's files as routes at
  // start (wildcard: false globs ~130 files, most of them font subsets) cost the cold start
  // ~40 ms. Unknown paths and dotfiles (the build stamp) get a 404.
  await app.register(fastifyStatic, {
    root: rendererDir,
    index: false,
    wildcard: true,
    dotfiles: 'ignore',
  });

  /** Each open contract socket and the core's caller for it. */
  const sockets = new Map<WebSocket, Caller>();
  const capture = new CaptureHub(options.logger ?? silentLogger);
  const detachCamera = core.facePay.attachCamera(capture);
  registerCaptureRoute(app, capture);
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

  app.get(
    '/ws',
    {
      websocket: true,
      preValidation: async (request, reply) => {
        if (!originAllowed(request.headers.origin, request.headers.host)) {
          return reply.code(403).send({ error: 'cross-origin WebSocket refused' });
        }
        return undefined;
      },
    },
    (socket, request) => {
      // One caller per connection: its manager session (if any) dies with it.
      const caller = core.openCaller(
        callerKindFor({ remoteAddress: request.ip, screen: queryParam(request, 'screen') }),
      );
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
    },
  );

  for (const path of SCREEN_PATHS) {
    app.get(path, (request, reply) => {
      if (!screenAllowed(path, request.ip))
        return reply.code(403).send({ error: 'only the customer display may be opened remotely' });
      return reply.type('text/html').sendFile('index.html');
    });
  }

  await app.listen({ port: options.port, host: access.remoteDisplays ? '0.0.0.0' : '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    app,
    port,
    url: `http://127.0.0.1:${port}`,
    capture,
    async close() {
      unsubscribe();
      detachCamera();
      capture.close();
      for (const socket of sockets.keys()) socket.terminate();
      await app.close();
    },
  };
}

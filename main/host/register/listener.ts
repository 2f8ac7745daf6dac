/**
 * Listeners of the register API alone (no screens, no contract socket, no files):
 * - --remote-registers: on the shop's LAN, HTTPS with the terminal's self-signed certificate
 *   (as remote displays; registers pin its fingerprint);
 * - the Electron shell, which has no HTTP host of its own: on loopback, plain HTTP
 *   (startRegisterApi), so registers on the same machine reach it as they reach the browser
 *   host's port.
 * And the wiring every door shares (wireRegisterEvents): events to the registers' sockets and
 * callback URLs, and an unpaired register's sockets closed at once.
 */
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { MAX_MESSAGE_BYTES, REGISTER_WS_PROTOCOL } from '../../contract';
import type { Logger, PosCore } from '../../core';
import { hostAllowed, hostsFor, loopbackHosts } from '../access';
import type { TlsIdentity } from '../tls';
import { CallbackSender, type CallbackOptions } from './callbacks';
import { RegisterEventHub } from './events';
import { registerAuthHook, registerRegisterRoutes } from './routes';

export interface RemoteRegisterOptions {
  port: number;
  /** The address to listen on (default: all interfaces). */
  bindAddress?: string;
  /** The names and addresses registers reach the terminal by (the Host allow-list). */
  names: readonly string[];
  tls: TlsIdentity;
}

/** Echo the register protocol only: the token offered beside it is never sent back. */
export function registerProtocols(offered: Set<string>): string | false {
  return offered.has(REGISTER_WS_PROTOCOL) ? REGISTER_WS_PROTOCOL : false;
}

export type RegisterCallbackOptions = Pick<CallbackOptions, 'retryDelaysMs' | 'timeoutMs'>;

/** The register events' fan-out for one running terminal. */
export function wireRegisterEvents(
  core: PosCore,
  logger: Logger,
  callbackOptions: RegisterCallbackOptions = {},
): { hub: RegisterEventHub; close(): void } {
  const hub = new RegisterEventHub();
  const callbacks = new CallbackSender({ registers: core.registers, logger, ...callbackOptions });
  const stopEvents = core.registers.onEvent((event) => {
    hub.dispatch(event);
    callbacks.send(event);
  });
  const stopRevocations = core.registers.onRevoked((id) => hub.closeRegister(id));
  return {
    hub,
    close() {
      stopEvents();
      stopRevocations();
      callbacks.close();
      hub.close();
    },
  };
}

/**
 * One listener serving the register API only: HTTPS on the LAN (tls), or plain HTTP on
 * 127.0.0.1 (tls null, loopback names only).
 */
export async function startRegisterListener(
  core: PosCore,
  hub: RegisterEventHub,
  logger: Logger,
  options: {
    port: number;
    bindAddress?: string;
    names: readonly string[];
    tls: TlsIdentity | null;
  },
): Promise<{ app: FastifyInstance; port: number; url: string }> {
  const hosts = new Set<string>();
  const tls = options.tls;
  const app = Fastify({
    logger: false,
    bodyLimit: MAX_MESSAGE_BYTES,
    forceCloseConnections: true,
    ...(tls === null ? {} : { https: { key: tls.key, cert: tls.cert } }),
  });
  await app.register(fastifyWebsocket, {
    options: { maxPayload: 4096, handleProtocols: registerProtocols },
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!hostAllowed(request.headers.host, hosts))
      return reply.code(421).send({ error: 'this host name is not served here' });
    reply.header('X-Content-Type-Options', 'nosniff');
    if (tls !== null) reply.header('Strict-Transport-Security', 'max-age=31536000');
    return registerAuthHook(core, request, reply);
  });
  registerRegisterRoutes(app, { core, hub, logger });
  const bindAddress = tls === null ? '127.0.0.1' : (options.bindAddress ?? '0.0.0.0');
  try {
    await app.listen({ port: options.port, host: bindAddress });
  } catch (error) {
    await app.close().catch(() => undefined);
    if ((error as { code?: string }).code === 'EADDRINUSE')
      throw new Error(
        tls === null
          ? `the register API: port ${options.port} is already in use by another program; ` +
              'choose another with --register-port N'
          : `--remote-registers: port ${options.port} is already in use by another program; ` +
              'choose another with --register-port N',
        { cause: error },
      );
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  for (const host of tls === null ? loopbackHosts(port) : hostsFor(options.names, port))
    hosts.add(host);
  const first = [...hosts][0] ?? `localhost:${port}`;
  return { app, port, url: `${tls === null ? 'http' : 'https'}://${first}` };
}

export interface RegisterApi {
  /** The loopback base URL (http://127.0.0.1:PORT). */
  url: string;
  port: number;
  lan: { url: string; port: number; fingerprint: string } | null;
  close(): Promise<void>;
}

/**
 * The register API where no browser host runs (the Electron shell): a loopback listener, and
 * the LAN one with --remote-registers.
 */
export async function startRegisterApi(
  core: PosCore,
  logger: Logger,
  options: {
    port: number;
    lan?: RemoteRegisterOptions | null;
    callbacks?: RegisterCallbackOptions;
  },
): Promise<RegisterApi> {
  const events = wireRegisterEvents(core, logger, options.callbacks);
  let local: Awaited<ReturnType<typeof startRegisterListener>> | null = null;
  let lan: Awaited<ReturnType<typeof startRegisterListener>> | null = null;
  try {
    local = await startRegisterListener(core, events.hub, logger, {
      port: options.port,
      names: [],
      tls: null,
    });
    if (options.lan) lan = await startRegisterListener(core, events.hub, logger, options.lan);
  } catch (error) {
    events.close();
    await local?.app.close();
    throw error;
  }
  const lanInfo =
    lan === null || !options.lan
      ? null
      : { url: lan.url, port: lan.port, fingerprint: options.lan.tls.fingerprint };
  const url = `http://127.0.0.1:${local.port}`;
  core.registers.setUrls(
    url,
    lanInfo === null ? null : { url: lanInfo.url, fingerprint: lanInfo.fingerprint },
  );
  const running = local;
  return {
    url,
    port: running.port,
    lan: lanInfo,
    async close() {
      events.close();
      await Promise.all([running.app.close(), lan?.app.close()]);
    },
  };
}

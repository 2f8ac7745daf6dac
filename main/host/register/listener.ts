/**
 * --remote-registers: the register API on the shop's LAN, a listener of its own (HTTPS with the
 * terminal's self-signed certificate, as remote displays; registers pin its fingerprint). It
 * serves the register API and nothing else: no screens, no contract socket, no files.
 */
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { MAX_MESSAGE_BYTES, REGISTER_WS_PROTOCOL } from '../../contract';
import type { Logger, PosCore } from '../../core';
import { hostAllowed, hostsFor } from '../access';
import type { TlsIdentity } from '../tls';
import type { RegisterEventHub } from './events';
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

export async function startRegisterListener(
  core: PosCore,
  hub: RegisterEventHub,
  logger: Logger,
  options: RemoteRegisterOptions,
): Promise<{ app: FastifyInstance; port: number; url: string }> {
  const hosts = new Set<string>();
  const app = Fastify({
    logger: false,
    bodyLimit: MAX_MESSAGE_BYTES,
    forceCloseConnections: true,
    https: { key: options.tls.key, cert: options.tls.cert },
  });
  await app.register(fastifyWebsocket, {
    options: { maxPayload: 4096, handleProtocols: registerProtocols },
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!hostAllowed(request.headers.host, hosts))
      return reply.code(421).send({ error: 'this host name is not served here' });
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Strict-Transport-Security', 'max-age=31536000');
    return registerAuthHook(core, request, reply);
  });
  registerRegisterRoutes(app, { core, hub, logger });
  try {
    await app.listen({ port: options.port, host: options.bindAddress ?? '0.0.0.0' });
  } catch (error) {
    await app.close().catch(() => undefined);
    if ((error as { code?: string }).code === 'EADDRINUSE')
      throw new Error(
        `--remote-registers: port ${options.port} is already in use by another program; ` +
          'choose another with --register-port N',
        { cause: error },
      );
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  for (const host of hostsFor(options.names, port)) hosts.add(host);
  const first = [...hosts][0] ?? `localhost:${port}`;
  return { app, port, url: `https://${first}` };
}

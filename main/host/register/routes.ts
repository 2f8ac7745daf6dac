/**
 * The register API's door (v1, contract in main/contract/register.ts): HTTP + JSON under
 * /v1/register on the host's loopback port, and on the shop's LAN only with --remote-registers
 * (listener.ts, HTTPS). The same routes on both; which listener a request came in on is decided
 * by which app it reached, never by its address.
 *
 * Who is asking is decided in an onRequest hook, before the body is read: every request under
 * /v1/register but POST /pair needs `Authorization: Bearer <token>` of a paired, unrevoked
 * register (or, on the events WebSocket, the token as a subprotocol); without one the answer is
 * 401 with an empty body — not even whether the path exists. The Host allow-list (server.ts)
 * runs before this. A register sees and touches only its own orders (they are looked up by
 * register id and order number).
 *
 * No CORS headers: a web page elsewhere cannot read answers, and a browser will not even send a
 * request with an Authorization header cross-origin without a preflight this door never grants.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  createOrderRequest,
  cancelRequest,
  dayListQuery,
  errorToWire,
  getOrderQuery,
  orderNo as orderNoSchema,
  pairRequest,
  payRequest,
  PosError,
  refundRequest,
  REGISTER_API_PREFIX,
  REGISTER_EVENTS_PATH,
  REGISTER_OPENAPI_PATH,
  REGISTER_PAIR_PATH,
  REGISTER_WS_TOKEN_PREFIX,
  registerHttpStatus,
  toPosError,
  type RegisterDevice,
} from '../../contract';
import { registerOpenApi } from '../../contract/register-openapi';
import type { Logger, PosCore } from '../../core';
import type { RegisterEventHub } from './events';

/** The OpenAPI document (pure and the same for every listener: made once). */
let openApi: Record<string, unknown> | undefined;

/** The register a request's token belongs to, found once in onRequest. */
const registersOf = new WeakMap<FastifyRequest['raw'], RegisterDevice>();

/** Whether a path (without query) is the register API's. */
function isRegisterPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return path === REGISTER_API_PREFIX || path.startsWith(`${REGISTER_API_PREFIX}/`);
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const m = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header.trim());
    return m?.[1];
  }
  // The events WebSocket from a browser, which cannot set headers: the token as a subprotocol.
  const protocols = request.headers['sec-websocket-protocol'];
  if (typeof protocols === 'string')
    for (const item of protocols.split(',')) {
      const value = item.trim();
      if (value.startsWith(REGISTER_WS_TOKEN_PREFIX))
        return value.slice(REGISTER_WS_TOKEN_PREFIX.length);
    }
  return undefined;
}

/**
 * The root onRequest hook's part (server.ts and listener.ts add it after the Host check): a
 * register path without a valid token gets 401 and an empty body, before the body is read.
 */
export async function registerAuthHook(
  core: PosCore,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  if (!isRegisterPath(request.url)) return undefined;
  const path = request.url.split('?')[0];
  if (path === REGISTER_PAIR_PATH && request.method === 'POST') return undefined;
  const token = bearerOf(request);
  const register = token === undefined ? null : core.registers.authenticate(token);
  if (register === null) return reply.code(401).send();
  registersOf.set(request.raw, register);
  return undefined;
}

function registerOf(request: FastifyRequest): RegisterDevice {
  const register = registersOf.get(request.raw);
  // The hook let it through without a register: only /pair does that, which never asks.
  if (register === undefined) throw new PosError('FORBIDDEN', 'no register');
  return register;
}

function parse<T extends z.ZodType>(schema: T, value: unknown, label: string): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw toPosError(result.error, label);
  return result.data;
}

function orderNoOf(request: FastifyRequest): string {
  return parse(orderNoSchema, (request.params as { orderNo?: unknown }).orderNo, 'orderNo');
}

export interface RegisterRouteOptions {
  core: PosCore;
  hub: RegisterEventHub;
  logger: Logger;
}

/** Adds the register API's routes to a listener's app (the auth hook is the app's, above). */
export function registerRegisterRoutes(app: FastifyInstance, options: RegisterRouteOptions): void {
  const { core, hub, logger } = options;
  const registers = core.registers;

  function fail(reply: FastifyReply, error: unknown): FastifyReply {
    if (!PosError.is(error))
      logger.error('register API: unexpected failure', { error: String(error) });
    const wire = errorToWire(error);
    return reply.code(registerHttpStatus(wire.code)).send({ error: wire });
  }

  void app.register(
    async (scope) => {
      // Malformed JSON, a wrong content type, a body too large: the API's own error shape.
      scope.setErrorHandler((error, _request, reply) => {
        const status =
          typeof (error as { statusCode?: unknown }).statusCode === 'number'
            ? (error as { statusCode: number }).statusCode
            : 500;
        if (status >= 500) return fail(reply, error);
        return reply
          .code(status)
          .send({ error: { code: 'VALIDATION', message: (error as Error).message } });
      });

      // Pairing: small body; wrong codes burn the code in force (core's registers.ts).
      scope.post('/pair', { bodyLimit: 1024 }, (request, reply) => {
        try {
          const body = parse(pairRequest, request.body, 'body');
          const { register, token, callbackSecret } = registers.pair(body.code, body.name);
          return reply.send({
            registerId: register.id,
            registerName: register.name,
            token,
            callbackSecret,
          });
        } catch (error) {
          return fail(reply, error);
        }
      });

      // The document is generated from the contract's zod schemas (once, at first request).
      scope.get(REGISTER_OPENAPI_PATH.slice(REGISTER_API_PREFIX.length), (_request, reply) => {
        openApi ??= registerOpenApi();
        return reply.send(openApi);
      });

      scope.post('/orders', (request, reply) => {
        try {
          const body = parse(createOrderRequest, request.body, 'body');
          const { order, created } = registers.create(registerOf(request), body);
          return reply.code(created ? 201 : 200).send(order);
        } catch (error) {
          return fail(reply, error);
        }
      });

      scope.get('/orders', (request, reply) => {
        try {
          const query = parse(dayListQuery, request.query, 'query');
          return reply.send(registers.dayList(registerOf(request), query.date));
        } catch (error) {
          return fail(reply, error);
        }
      });

      scope.get('/orders/:orderNo', async (request, reply) => {
        try {
          const register = registerOf(request);
          const orderNo = orderNoOf(request);
          const query = parse(getOrderQuery, request.query, 'query');
          if (query.waitMs === undefined) return await reply.send(registers.get(register, orderNo));
          // A long-poll ends early when the register goes away (nothing is kept for it).
          const gone = new AbortController();
          request.raw.on('close', () => gone.abort());
          const order = await registers.wait(
            register,
            orderNo,
            query.waitMs,
            query.version,
            gone.signal,
          );
          return await reply.send(order);
        } catch (error) {
          return fail(reply, error);
        }
      });

      scope.post('/orders/:orderNo/pay', async (request, reply) => {
        try {
          const body = parse(payRequest, request.body, 'body');
          return await reply.send(
            await registers.pay(registerOf(request), orderNoOf(request), body),
          );
        } catch (error) {
          return fail(reply, error);
        }
      });

      scope.post('/orders/:orderNo/cancel', (request, reply) => {
        try {
          parse(cancelRequest, request.body, 'body');
          return reply.send(registers.cancel(registerOf(request), orderNoOf(request)));
        } catch (error) {
          return fail(reply, error);
        }
      });

      scope.post('/orders/:orderNo/refunds', async (request, reply) => {
        try {
          const body = parse(refundRequest, request.body, 'body');
          const result = await registers.refund(registerOf(request), orderNoOf(request), body);
          return await reply.send(result);
        } catch (error) {
          return fail(reply, error);
        }
      });

      scope.get(
        REGISTER_EVENTS_PATH.slice(REGISTER_API_PREFIX.length),
        { websocket: true },
        (socket, request) => {
          hub.add(registerOf(request).id, socket);
        },
      );
    },
    { prefix: REGISTER_API_PREFIX },
  );
}

/**
 * How a route is declared: method, URL, who may call it, and zod schemas for its input.
 *
 * Who is asking is settled before the body is read: an onRequest hook per route checks the admin
 * token, or a terminal's signature headers (known terminal, not revoked, timestamp in the window,
 * nonce well formed), and refuses with the connection closed, so an unauthenticated upload is
 * neither buffered nor drained. Only then does Fastify read the body (up to the route's limit),
 * the HMAC over it is checked, the input is parsed (a CloudError VALIDATION naming the field when
 * it does not fit), and the handler gets typed values. Handlers return the response body.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodType } from 'zod';
import { checkAdmin } from './auth/admin';
import type { AdmittedRequest, AuthenticatedTerminal, TerminalVerifier } from './auth/terminals';
import { CloudError } from './errors';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received: the signature covers these bytes, not a re-serialisation. */
    rawBody: Buffer | null;
    /** Set once a terminal's signature verified; logged with the request. */
    terminalId: string | null;
    /** A terminal request whose headers passed admission; its signature is checked on the body. */
    admitted: AdmittedRequest | null;
  }
}

/**
 * public: anyone (health, pairing with a code). terminal: a paired terminal's signed request.
 * admin: the back office's bearer token. terminal-or-admin: either (store reports).
 */
export type Auth = 'public' | 'terminal' | 'admin' | 'terminal-or-admin';

export interface RouteInput<B, Q, P, A extends Auth> {
  body: B;
  query: Q;
  params: P;
  /** The calling terminal: always there on terminal routes, null for public and admin calls. */
  terminal: A extends 'terminal' ? AuthenticatedTerminal : AuthenticatedTerminal | null;
  /** A terminal request's signed timestamp (ms, the terminal's clock); null otherwise. */
  signedAt: number | null;
  reply: FastifyReply;
}

export interface RouteSpec<B, Q, P, A extends Auth> {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  auth: A;
  body?: ZodType<B>;
  query?: ZodType<Q>;
  params?: ZodType<P>;
  /** Status of a successful answer (default 200). */
  status?: number;
  /** A larger body limit than the service's small default (event batches, uploads). */
  bodyLimit?: number;
  handler(input: RouteInput<B, Q, P, A>): Promise<unknown>;
}

const EMPTY = Buffer.alloc(0);

export function parseOrThrow<T>(schema: ZodType<T> | undefined, value: unknown, prefix: string): T {
  if (schema === undefined) return undefined as T;
  const result = schema.safeParse(value ?? (prefix === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [prefix, ...(issue?.path ?? [])].map(String).join('.');
  throw new CloudError('VALIDATION', `${field}: ${issue?.message ?? 'invalid'}`, field);
}

export class Router {
  constructor(
    private readonly app: FastifyInstance,
    private readonly verifier: TerminalVerifier,
    private readonly adminToken: string,
  ) {}

  add<A extends Auth, B = undefined, Q = undefined, P = undefined>(
    spec: RouteSpec<B, Q, P, A>,
  ): void {
    this.app.route({
      method: spec.method,
      url: spec.url,
      ...(spec.bodyLimit === undefined ? {} : { bodyLimit: spec.bodyLimit }),
      onRequest: async (request, reply) => {
        try {
          await this.admit(request, spec.auth);
        } catch (error) {
          // A refused request's body is never read; closing the connection spares draining it.
          if (hasBody(request)) void reply.header('connection', 'close');
          throw error;
        }
      },
      handler: async (request, reply) => {
        const terminal = await this.authenticate(request);
        if (spec.auth === 'terminal' && terminal === null) throw new Error('unreachable');
        const input = {
          body: parseOrThrow(spec.body, request.body, 'body'),
          query: parseOrThrow(spec.query, request.query, 'query'),
          params: parseOrThrow(spec.params, request.params, 'params'),
          terminal,
          signedAt: request.admitted === null ? null : Number(request.admitted.timestamp),
          reply,
        } as RouteInput<B, Q, P, A>;
        const result = await spec.handler(input);
        reply.code(spec.status ?? 200);
        return result;
      },
    });
  }

  /** Before the body: the admin token, or the terminal's signature headers. */
  private async admit(request: FastifyRequest, auth: Auth): Promise<void> {
    if (auth === 'public') return;
    const authorization = request.headers.authorization;
    if (auth === 'admin' || (auth === 'terminal-or-admin' && authorization !== undefined)) {
      checkAdmin(authorization, this.adminToken);
      return;
    }
    request.admitted = await this.verifier.admit(request.headers);
  }

  /** After the body: the HMAC over it (terminal requests only). */
  private async authenticate(request: FastifyRequest): Promise<AuthenticatedTerminal | null> {
    const admitted = request.admitted;
    if (admitted === null) return null;
    const terminal = await this.verifier.verifyBody(admitted, {
      method: request.method,
      url: request.url,
      body: request.rawBody ?? EMPTY,
    });
    request.terminalId = terminal.id;
    return terminal;
  }
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (
    (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined
  );
}

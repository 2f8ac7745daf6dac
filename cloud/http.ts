/**
 * How a route is declared: method, URL, who may call it, and zod schemas for its input. The
 * router authenticates first (a terminal's signature or the admin token), then parses the input
 * (a CloudError VALIDATION naming the field when it does not fit), then calls the handler with
 * typed values. Handlers return the response body.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodType } from 'zod';
import { checkAdmin } from './auth/admin';
import type { AuthenticatedTerminal, TerminalVerifier } from './auth/terminals';
import { CloudError } from './errors';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received: the signature covers these bytes, not a re-serialisation. */
    rawBody: Buffer | null;
    /** Set once a terminal's signature verified; logged with the request. */
    terminalId: string | null;
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
  /** A larger body limit than the service's (photo uploads). */
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
      handler: async (request, reply) => {
        const terminal = await this.authenticate(request, spec.auth);
        if (spec.auth === 'terminal' && terminal === null) throw new Error('unreachable');
        const input = {
          body: parseOrThrow(spec.body, request.body, 'body'),
          query: parseOrThrow(spec.query, request.query, 'query'),
          params: parseOrThrow(spec.params, request.params, 'params'),
          terminal,
          reply,
        } as RouteInput<B, Q, P, A>;
        const result = await spec.handler(input);
        reply.code(spec.status ?? 200);
        return result;
      },
    });
  }

  private async authenticate(
    request: FastifyRequest,
    auth: Auth,
  ): Promise<AuthenticatedTerminal | null> {
    if (auth === 'public') return null;
    const authorization = request.headers.authorization;
    if (auth === 'admin' || (auth === 'terminal-or-admin' && authorization !== undefined)) {
      checkAdmin(authorization, this.adminToken);
      return null;
    }
    const terminal = await this.verifier.verify({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.rawBody ?? EMPTY,
    });
    request.terminalId = terminal.id;
    return terminal;
  }
}

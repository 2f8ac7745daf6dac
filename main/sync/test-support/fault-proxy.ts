/**
 * A fault-injecting HTTP proxy on loopback, between the sync worker and the cloud. For each
 * request a policy picks what happens:
 *
 * - pass: forwarded, answered as the cloud answered;
 * - drop: the connection is cut before the cloud sees the request;
 * - drop-after: forwarded, the cloud acts on it, then the connection is cut unanswered (the
 *   acknowledgement is lost);
 * - status: answered with an error status (e.g. 500), before or after the cloud acted on it;
 * - delay: held back before forwarding or before answering (a slow network or cloud);
 * - hold: forwarded, the cloud acts on it, and the answer never comes while the client waits
 *   (a process killed in that window has lost an acknowledgement the cloud already stored);
 * - duplicate: delivered twice (one after the other, or both at once), answered with one of the
 *   two answers.
 *
 * `down` cuts every connection as it opens (the cloud unreachable for a while).
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  | { kind: 'pass' }
  | { kind: 'drop' }
  | { kind: 'drop-after' }
  | { kind: 'status'; status: number; after?: boolean }
  | { kind: 'delay'; ms: number; after?: boolean }
  | { kind: 'hold' }
  | { kind: 'duplicate'; concurrent?: boolean; answer?: 'first' | 'second' };

export interface ProxiedRequest {
  /** 1, 2, 3… in arrival order. */
  n: number;
  method: string;
  path: string;
}

export type FaultPolicy = (request: ProxiedRequest) => Fault;

export interface FaultProxy {
  url: string;
  port: number;
  /** How many requests met each kind of fault (and how many connections `down` refused). */
  counts: Record<Fault['kind'] | 'refused', number>;
  /** Requests that reached the cloud (a duplicate counts twice). */
  forwarded: number;
  /** Held requests the cloud has answered (their answers withheld from the client). */
  held: number;
  setPolicy(policy: FaultPolicy): void;
  setDown(down: boolean): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A seeded generator (mulberry32), so a fault schedule can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Each request meets a fault with probability `rate`, its kind chosen evenly among `faults`.
 * Requests that are not event deliveries or catalogue pulls (pairing) always pass.
 */
export function randomFaults(seed: number, rate: number, faults: readonly Fault[]): FaultPolicy {
  const random = seededRandom(seed);
  return ({ path }) => {
    if (!path.startsWith('/v1/events') && !path.startsWith('/v1/catalog')) return { kind: 'pass' };
    if (random() >= rate) return { kind: 'pass' };
    return faults[Math.floor(random() * faults.length)] ?? { kind: 'pass' };
  };
}

export async function startFaultProxy(
  target: string,
  initial: FaultPolicy = () => ({ kind: 'pass' }),
): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  let policy = initial;
  let down = false;
  let n = 0;
  const sockets = new Set<Socket>();
  const counts: FaultProxy['counts'] = {
    pass: 0,
    drop: 0,
    'drop-after': 0,
    status: 0,
    delay: 0,
    hold: 0,
    duplicate: 0,
    refused: 0,
  };
  const state = { forwarded: 0, held: 0 };

  function forward(req: IncomingMessage, body: Buffer): Promise<Answer> {
    state.forwarded += 1;
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: upstream.host };
      const out = httpRequest(
        {
          agent,
          hostname: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers,
        },
        (res) => {
          readBody(res).then(
            (data) =>
              resolve({
                status: res.statusCode ?? 502,
                headers: {
                  'content-type': String(res.headers['content-type'] ?? 'application/json'),
                },
                body: data,
              }),
            reject,
          );
        },
      );
      out.on('error', reject);
      out.end(body);
    });
  }

  const cut = (req: IncomingMessage) => req.socket.destroy();

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      n += 1;
      const fault = policy({ n, method: req.method ?? 'GET', path: req.url ?? '/' });
      counts[fault.kind] += 1;
      const reply = (answer: Answer) => {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      };
      const errorAnswer = (status: number): Answer => ({
        status,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(
          JSON.stringify({ error: { code: 'INTERNAL', message: 'injected fault' } }),
        ),
      });
      switch (fault.kind) {
        case 'pass':
          return reply(await forward(req, body));
        case 'drop':
          return cut(req);
        case 'drop-after':
          await forward(req, body);
          return cut(req);
        case 'status':
          if (fault.after === true) await forward(req, body);
          return reply(errorAnswer(fault.status));
        case 'delay':
          if (fault.after === true) {
            const answer = await forward(req, body);
            await wait(fault.ms);
            if (!res.destroyed) reply(answer);
            return undefined;
          }
          await wait(fault.ms);
          if (res.destroyed) return undefined;
          return reply(await forward(req, body));
        case 'hold':
          // No timer: the open response goes when the client's socket does.
          await forward(req, body);
          state.held += 1;
          return undefined;
        case 'duplicate': {
          const answers =
            fault.concurrent === true
              ? await Promise.all([forward(req, body), forward(req, body)])
              : [await forward(req, body), await forward(req, body)];
          return reply(answers[fault.answer === 'second' ? 1 : 0] as Answer);
        }
      }
    })().catch(() => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'upstream failed' } }));
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    if (down) {
      counts.refused += 1;
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    counts,
    get forwarded() {
      return state.forwarded;
    },
    get held() {
      return state.held;
    },
    setPolicy(next) {
      policy = next;
    },
    setDown(value) {
      down = value;
      if (value) for (const s of sockets) s.destroy();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

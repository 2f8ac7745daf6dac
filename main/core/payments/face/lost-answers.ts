/**
 * How face pay reads the cloud's failures: an answer that was lost (no answer, a timeout, a 5xx,
 * an answer that does not parse) says nothing about whether the request was carried out, so it is
 * never read as a refusal; anything else is the cloud's refusal, with its code.
 */

/** Cloud errors after which the request's fate is unknown (it may have been carried out). */
const LOST_ANSWER_CODES = new Set(['UNREACHABLE', 'BAD_RESPONSE', 'UNAVAILABLE', 'INTERNAL']);

/** A call that took too long counts as unreachable: its answer may still come (and be lost). */
class TimeoutError extends Error {
  override name = 'TimeoutError';
  readonly code = 'UNREACHABLE';
}

export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

export function isLostAnswer(code: string): boolean {
  return LOST_ANSWER_CODES.has(code);
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms).unref());

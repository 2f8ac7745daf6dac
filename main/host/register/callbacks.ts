/**
 * Callbacks: each event of an order that has a callbackUrl is POSTed there, signed
 * (signature.ts, header X-Pos-Signature) with the register's callback secret, its id in
 * X-Pos-Event-Id. Any 2xx acknowledges it; anything else (an error, no answer in time, a
 * redirect, which is never followed) is retried after each of `retryDelaysMs` in turn, with
 * the same event id and body and a fresh timestamp, so the register drops duplicates by id.
 * A revoked register gets nothing more. Kept in memory: a restart drops pending retries (the
 * register still has the long-poll, the WebSocket and the day list).
 */
import {
  CALLBACK_EVENT_ID_HEADER,
  CALLBACK_RETRY_DELAYS_S,
  CALLBACK_SIGNATURE_HEADER,
  type RegisterEvent,
} from '../../contract';
import type { Logger, RegisterService } from '../../core';
import { signCallback } from './signature';

export interface CallbackOptions {
  registers: RegisterService;
  logger: Logger;
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  now?: () => number;
}

export class CallbackSender {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private closed = false;
  private readonly retryDelaysMs: readonly number[];
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CallbackOptions) {
    this.retryDelaysMs = options.retryDelaysMs ?? CALLBACK_RETRY_DELAYS_S.map((s) => s * 1000);
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  send(event: RegisterEvent): void {
    const url = event.order.callbackUrl;
    if (url === null || this.closed) return;
    void this.attempt(event, url, 0);
  }

  private async attempt(event: RegisterEvent, url: string, tries: number): Promise<void> {
    if (this.closed || this.options.registers.isRevoked(event.registerId)) return;
    const body = JSON.stringify(event);
    const t = Math.floor(this.now() / 1000);
    const signature = signCallback(
      this.options.registers.callbackSecret(event.registerId),
      t,
      body,
    );
    const abort = new AbortController();
    this.inFlight.add(abort);
    const timer = setTimeout(() => abort.abort(), this.timeoutMs);
    let ok: boolean;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [CALLBACK_SIGNATURE_HEADER]: signature,
          [CALLBACK_EVENT_ID_HEADER]: event.id,
        },
        body,
        redirect: 'manual',
        signal: abort.signal,
      });
      ok = response.status >= 200 && response.status < 300;
      await response.body?.cancel();
    } catch {
      ok = false;
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(abort);
    }
    if (ok || this.closed) return;
    const delay = this.retryDelaysMs[tries];
    if (delay === undefined) {
      this.options.logger.warn('register callback: given up after retries', {
        eventId: event.id,
        registerId: event.registerId,
      });
      return;
    }
    const retry = setTimeout(() => {
      this.timers.delete(retry);
      void this.attempt(event, url, tries + 1);
    }, delay);
    this.timers.add(retry);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const abort of this.inFlight) abort.abort();
    this.timers.clear();
  }
}

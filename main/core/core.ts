/**
 * The POS core: builds the services from a config and serves the typed contract. It knows
 * nothing of Electron or WebSockets; the transports (main/app's IPC, main/host's WebSocket)
 * hand it untrusted (channel, payload) pairs and relay its events.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  errorToWire,
  parseRequest,
  PosError,
  type Channel,
  type EventName,
  type EventPayload,
  type PosErrorShape,
  type Sale,
} from '../contract';
import { Ledger, seedDemoCatalog } from '../ledger';
import type { PosConfig } from './config';
import { createHandlers, SALE_CHANGING, SHIFT_CHANGING, type Handler } from './handlers';
import { silentLogger, type Logger } from './logger';

export type DispatchResult = { ok: true; result: unknown } | { ok: false; error: PosErrorShape };
export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export interface PosCore {
  readonly config: PosConfig;
  readonly ledger: Ledger;
  /** Validate and serve one request. Never throws: failures come back as typed errors. */
  dispatch(channel: unknown, payload: unknown): Promise<DispatchResult>;
  onEvent(listener: EventListener): () => void;
  close(): void;
}

export const APP_VERSION = '0.1.0';

export function createPosCore(config: PosConfig, logger: Logger = silentLogger): PosCore {
  mkdirSync(config.dataDir, { recursive: true });
  const ledger = Ledger.open({
    file: join(config.dataDir, 'ledger.db'),
    terminalId: config.terminalId,
    timezone: config.timezone,
  });
  if (ledger.productCount() === 0) {
    seedDemoCatalog(ledger);
    logger.info('seeded the demo catalogue', { products: ledger.productCount() });
  }

  const handlers = createHandlers(ledger, {
    version: APP_VERSION,
    shopName: config.shopName,
    terminalId: config.terminalId,
    timezone: config.timezone,
    defaultLocale: config.defaultLocale,
  });
  const listeners = new Set<EventListener>();

  function emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of listeners) {
      try {
        listener(name, payload);
      } catch (error) {
        logger.error('event listener failed', { event: name, error: String(error) });
      }
    }
  }

  function emitAfter(channel: Channel, result: unknown): void {
    if (SALE_CHANGING.has(channel)) {
      emit('sale.changed', { sale: ledger.currentSale() });
      if (channel === 'sale.pay' && (result as Sale).status === 'completed') {
        emit('sale.completed', { sale: result as Sale });
      }
    }
    if (SHIFT_CHANGING.has(channel)) emit('shift.changed', { shift: ledger.currentShift() });
  }

  return {
    config,
    ledger,
    async dispatch(channel, payload) {
      try {
        const request = parseRequest(channel, payload);
        const handler = handlers[request.channel] as Handler<typeof request.channel>;
        const result = handler(request.payload);
        emitAfter(request.channel, result);
        return { ok: true, result };
      } catch (error) {
        if (!PosError.is(error)) {
          // Unexpected: log the channel and the error, never the payload.
          logger.error('request failed', {
            channel: typeof channel === 'string' ? channel.slice(0, 64) : typeof channel,
            error: error instanceof Error ? (error.stack ?? error.message) : String(error),
          });
        }
        return { ok: false, error: errorToWire(error) };
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      listeners.clear();
      ledger.close();
    },
  };
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConnectionState } from '../api/transport';
import type { EventName, EventPayload } from '../contract';
import { cola, completed, line, openShift, sale } from '../test/fixtures';
import { fakeApi } from '../test/fakeApi';
import { createAppStore } from './store';
import { syncStoreWithClient } from './sync';

function fakeEvents(initial: ConnectionState) {
  const handlers = new Map<string, (payload: never) => void>();
  const stateListeners: ((s: ConnectionState) => void)[] = [];
  return {
    connection: initial,
    subscribe<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void) {
      handlers.set(name, handler as (payload: never) => void);
      return () => handlers.delete(name);
    },
    onConnectionChange(listener: (s: ConnectionState) => void) {
      stateListeners.push(listener);
      return () => undefined;
    },
    emit<E extends EventName>(name: E, payload: EventPayload<E>) {
      (handlers.get(name) as ((p: EventPayload<E>) => void) | undefined)?.(payload);
    },
    setState(state: ConnectionState) {
      this.connection = state;
      for (const l of stateListeners) l(state);
    },
  };
}

const info = {
  version: '0.1.0',
  shopName: 'Shop',
  terminalId: 'T1',
  timezone: 'Asia/Shanghai',
  defaultLocale: 'zh-CN' as const,
};

const printer = {
  printer: {
    state: 'ready' as const,
    connection: 'file' as const,
    name: '/dev/usb/lp0',
    columns: 48 as const,
  },
  lastError: null,
  autoPrint: true,
};

describe('syncStoreWithClient', () => {
  it('reloads on every (re)connection and mirrors events and connection state', async () => {
    const current = sale('s1', [line(cola, 1, 1)]);
    const { api, calls } = fakeApi({
      'system.info': () => info,
      'sale.current': () => current,
      'shift.current': () => openShift,
      'auth.current': () => null,
      'sync.status': () => ({
        state: 'offline',
        pendingEvents: 0,
        pendingWalletCredits: 0,
        lastSuccessAt: null,
      }),
      'catalog.categories': () => [],
      'peripherals.status': () => printer,
    });
    const store = createAppStore(api);
    const events = fakeEvents('connecting');
    syncStoreWithClient(store, events, 'cashier');
    assert.equal(calls.length, 0, 'waits for the connection');
    events.setState('connected');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(calls.map((c) => c.channel).sort(), [
      'auth.current',
      'catalog.categories',
      'peripherals.status',
      'sale.current',
      'shift.current',
      'sync.status',
      'system.info',
    ]);
    assert.equal(store.getState().connection.state, 'connected');
    assert.equal(store.getState().sale.current, current);

    events.emit('sale.changed', { sale: null });
    events.emit('sale.completed', { sale: completed(current, 500) });
    assert.equal(store.getState().sale.completed?.id, 's1');
    events.emit('shift.changed', { shift: null });
    assert.equal(store.getState().shift.current, null);
    assert.deepEqual(store.getState().peripherals.status, printer);
    const failed = { ...printer, printer: { ...printer.printer, state: 'error' as const } };
    events.emit('peripherals.status', failed);
    assert.equal(store.getState().peripherals.status?.printer.state, 'error');

    events.setState('reconnecting');
    assert.equal(store.getState().connection.state, 'reconnecting');
    events.setState('connected');
    await new Promise((r) => setImmediate(r));
    assert.equal(calls.length, 14, 'reloaded after reconnecting');
  });

  it('the customer display does not ask for the shift', async () => {
    const { api, calls } = fakeApi({
      'system.info': () => info,
      'sale.current': () => null,
      'display.posters': () => [],
    });
    const store = createAppStore(api);
    syncStoreWithClient(store, fakeEvents('connected'), 'customer');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(calls.map((c) => c.channel).sort(), [
      'display.posters',
      'sale.current',
      'system.info',
    ]);
  });
});

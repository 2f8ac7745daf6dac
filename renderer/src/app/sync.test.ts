import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConnectionState } from '../api/transport';
import { PosError, type EventName, type EventPayload } from '../contract';
import { loadShifts, unlockManager } from '../features/manager/managerSlice';
import { dateChosen, loadDailyReport } from '../features/report/reportSlice';
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

const pole = {
  connection: 'connected' as const,
  lines: ['TOTAL', '12.30'] as [string, string],
  amount: { amountFen: 1230, kind: 'total' as const },
  payableFen: 1230,
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
      'pole.status': () => pole,
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
      // Open to every staff screen: the banner shows a failed audit check before sign-in.
      'ledger.auditStatus',
      'peripherals.status',
      // The register's pole display (its total offered to the till), when one is read.
      'pole.status',
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
    const broken = {
      ok: false,
      checked: 3,
      firstBroken: { seq: 4, kind: 'payment', reason: 'x' },
      checkedAt: '2025-01-01T00:00:00.000Z',
      scope: 'start' as const,
      running: false,
    };
    events.emit('ledger.audit', broken);
    assert.deepEqual(store.getState().audit.status, broken, 'the banner follows ledger.audit');
    assert.deepEqual(store.getState().peripherals.status, printer);
    const failed = { ...printer, printer: { ...printer.printer, state: 'error' as const } };
    events.emit('peripherals.status', failed);
    assert.equal(store.getState().peripherals.status?.printer.state, 'error');
    assert.equal(store.getState().pole.status?.payableFen, 1230);
    events.emit('pole.display', { ...pole, lines: ['', ''], amount: null, payableFen: null });
    assert.equal(store.getState().pole.status?.payableFen, null, 'the offer follows pole.display');

    events.setState('reconnecting');
    assert.equal(store.getState().connection.state, 'reconnecting');
    events.setState('connected');
    await new Promise((r) => setImmediate(r));
    assert.equal(calls.length, 18, 'reloaded after reconnecting');
  });

  it('the customer display does not ask for the shift (it does for the register’s amount)', async () => {
    const { api, calls } = fakeApi({
      'system.info': () => info,
      'sale.current': () => null,
      'display.posters': () => [],
      'pole.status': () => pole,
    });
    const store = createAppStore(api);
    syncStoreWithClient(store, fakeEvents('connected'), 'customer');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(calls.map((c) => c.channel).sort(), [
      'display.posters',
      // The register's amount, shown as soon as it presents one.
      'pole.status',
      'sale.current',
      'system.info',
    ]);
  });

  it('the manager screen asks for no figures until main has accepted the PIN', async () => {
    const manager = { id: 'm1', name: '王店长', role: 'manager' as const };
    const session = { manager, idleMs: 600_000, expiresAt: '2025-01-01T00:10:00.000Z' };
    let sessionOpen = false;
    const report = { businessDate: '2025-01-01' } as never;
    const { api, calls } = fakeApi({
      'system.info': () => info,
      'sync.status': () => ({ state: 'offline', pendingEvents: 0, lastSuccessAt: null }),
      'manager.current': () => (sessionOpen ? session : null),
      'manager.signIn': () => {
        sessionOpen = true;
        return session;
      },
      'report.daily': () => {
        if (!sessionOpen) throw new PosError('MANAGER_REQUIRED', 'no session');
        return report;
      },
      'report.shifts': () => [],
    });
    const store = createAppStore(api);
    const events = fakeEvents('connected');
    store.dispatch(dateChosen('2025-01-01'));
    syncStoreWithClient(store, events, 'manager');
    await new Promise((r) => setImmediate(r));
    // A sale elsewhere, a reload: still nothing of the manager's.
    events.emit('sale.completed', { sale: completed(sale('s1', [line(cola, 1, 1)]), 500) });
    await store.dispatch(loadDailyReport('2025-01-01'));
    await store.dispatch(loadShifts('2025-01-01'));
    assert.deepEqual(calls.map((c) => c.channel).sort(), [
      'ledger.auditStatus',
      'manager.current',
      'sync.status',
      'system.info',
    ]);
    assert.equal(store.getState().report.report, null);

    await store.dispatch(unlockManager('888888'));
    await store.dispatch(loadDailyReport('2025-01-01'));
    assert.equal(store.getState().report.report, report);

    // Main ends the session (idle, or a new connection): the screen locks and drops the figures.
    sessionOpen = false;
    await store.dispatch(loadDailyReport('2025-01-01'));
    assert.equal(store.getState().manager.manager, null);
    assert.equal(store.getState().report.report, null);
    assert.deepEqual(store.getState().manager.error, { kind: 'pos', code: 'MANAGER_REQUIRED' });
  });
});

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { PosError, type PosBridge } from '../contract';
import { cola, sale } from '../test/fixtures';
import { bridgeTransport, findBridge } from './bridgeTransport';
import { PosClient } from './client';
import { TransportError } from './transport';
import { keyProtocols, needsPairing, takeHostKey } from './hostKey';
import { backoffDelay, wsTransport, wsUrlFor, type SocketLike } from './wsTransport';

/** A WebSocket stand-in the test drives by hand. */
class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  sent: { id: number; channel: string; payload: unknown }[] = [];
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data) as { id: number; channel: string; payload: unknown });
  }
  close(): void {
    this.drop();
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({});
  }
  reply(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  last(): { id: number; channel: string; payload: unknown } {
    const frame = this.sent.at(-1);
    assert.ok(frame, 'nothing was sent');
    return frame;
  }
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function makeClient(options: { connectWaitMs?: number; requestTimeoutMs?: number } = {}) {
  FakeSocket.all = [];
  const transport = wsTransport({
    url: 'ws://till/ws',
    createSocket: (url) => new FakeSocket(url),
    random: () => 1,
    initialBackoffMs: 100,
    maxBackoffMs: 1_000,
    ...options,
  });
  const client = new PosClient(transport);
  const socket = (): FakeSocket => {
    const s = FakeSocket.all.at(-1);
    assert.ok(s);
    return s;
  };
  return { client, socket };
}

describe('wsUrlFor', () => {
  it('targets /ws on the same host, ws or wss by page protocol, with nothing in the URL', () => {
    assert.equal(wsUrlFor({ protocol: 'http:', host: '127.0.0.1:5199' }), 'ws://127.0.0.1:5199/ws');
    assert.equal(wsUrlFor({ protocol: 'https:', host: 'till.local' }), 'wss://till.local/ws');
  });
});

describe('the host key', () => {
  function fakeWindow(href: string) {
    const store = () => {
      const m = new Map<string, string>();
      return {
        getItem: (k: string) => m.get(k) ?? null,
        setItem: (k: string, v: string) => void m.set(k, v),
        removeItem: (k: string) => void m.delete(k),
      };
    };
    const win = {
      location: new URL(href),
      sessionStorage: store(),
      localStorage: store(),
      history: {
        state: null,
        replaceState(_s: unknown, _t: string, url: string) {
          win.location = new URL(url, win.location);
        },
      },
    };
    return win as unknown as Parameters<typeof takeHostKey>[0] & { location: URL };
  }
  const key = 'a'.repeat(43);

  it('moves the secret from the fragment to sessionStorage and out of the address bar', () => {
    const win = fakeWindow(`http://127.0.0.1:5180/manager#k=${key}`);
    assert.equal(takeHostKey(win), key);
    assert.equal(win.location.href, 'http://127.0.0.1:5180/manager');
    // A reload (no fragment now) still presents it.
    assert.equal(takeHostKey(win), key);
    assert.deepEqual(keyProtocols(key), ['pos.v1', `pos-key.${key}`]);
  });

  it('presents nothing without a key, and never a malformed one', () => {
    assert.equal(takeHostKey(fakeWindow('http://127.0.0.1:5180/')), null);
    assert.equal(takeHostKey(fakeWindow('http://127.0.0.1:5180/#k=a,b')), null);
    assert.deepEqual(keyProtocols(null), []);
  });

  it('a remote page without a token asks to be paired; a local one does not', () => {
    const remote = fakeWindow('https://till.local:5181/customer');
    assert.equal(needsPairing(remote, takeHostKey(remote)), true);
    const local = fakeWindow('http://127.0.0.1:5180/customer');
    assert.equal(needsPairing(local, takeHostKey(local)), false);
  });
});

describe('backoffDelay', () => {
  it('doubles up to the cap, with jitter between 50 and 100 %', () => {
    assert.equal(
      backoffDelay(0, 250, 5_000, () => 1),
      250,
    );
    assert.equal(
      backoffDelay(1, 250, 5_000, () => 1),
      500,
    );
    assert.equal(
      backoffDelay(3, 250, 5_000, () => 1),
      2_000,
    );
    assert.equal(
      backoffDelay(10, 250, 5_000, () => 1),
      5_000,
    );
    assert.equal(
      backoffDelay(10, 250, 5_000, () => 0),
      2_500,
    );
    assert.equal(
      backoffDelay(1_000, 250, 5_000, () => 1),
      5_000,
    );
  });
});

describe('PosClient over WebSocket', () => {
  it('sends {id, channel, payload} and resolves with the validated result', async () => {
    const { client, socket } = makeClient();
    socket().open();
    const pending = client.invoke('catalog.lookup', { barcode: cola.barcode });
    const frame = socket().last();
    assert.equal(frame.channel, 'catalog.lookup');
    assert.deepEqual(frame.payload, { barcode: cola.barcode });
    socket().reply({ kind: 'response', id: frame.id, ok: true, result: cola });
    assert.deepEqual(await pending, cola);
    client.close();
  });

  it('applies request defaults before sending (sale.addItem qty defaults to 1)', async () => {
    const { client, socket } = makeClient();
    socket().open();
    const pending = client.invoke('sale.addItem', { barcode: cola.barcode });
    const frame = socket().last();
    assert.deepEqual(frame.payload, { barcode: cola.barcode, qty: 1 });
    socket().reply({ kind: 'response', id: frame.id, ok: true, result: sale('s1', []) });
    await pending;
    client.close();
  });

  it('turns an error reply into a PosError with its code and field', async () => {
    const { client, socket } = makeClient();
    socket().open();
    const pending = client.invoke('sale.addItem', { barcode: '123' });
    socket().reply({
      kind: 'response',
      id: socket().last().id,
      ok: false,
      error: { code: 'UNKNOWN_BARCODE', message: 'no product', field: 'payload.barcode' },
    });
    await assert.rejects(pending, (error: unknown) => {
      assert.ok(PosError.is(error));
      assert.equal(error.code, 'UNKNOWN_BARCODE');
      assert.equal(error.field, 'payload.barcode');
      return true;
    });
    client.close();
  });

  it('rejects a malformed error reply as INTERNAL, not with whatever came', async () => {
    const { client, socket } = makeClient();
    socket().open();
    const pending = client.invoke('system.info', {});
    socket().reply({ kind: 'response', id: socket().last().id, ok: false, error: { stack: 'x' } });
    await assert.rejects(
      pending,
      (error: unknown) => PosError.is(error) && error.code === 'INTERNAL',
    );
    client.close();
  });

  it('rejects a response that breaks the contract (VALIDATION, naming the field)', async () => {
    const { client, socket } = makeClient();
    socket().open();
    const pending = client.invoke('catalog.lookup', { barcode: cola.barcode });
    const bad = { ...cola, priceFen: 3.5 };
    const errors = mock.method(console, 'error', () => undefined);
    socket().reply({ kind: 'response', id: socket().last().id, ok: true, result: bad });
    await assert.rejects(pending, (error: unknown) => {
      assert.ok(PosError.is(error));
      assert.equal(error.code, 'VALIDATION');
      assert.equal(error.field, 'response(catalog.lookup).priceFen');
      return true;
    });
    errors.mock.restore();
    client.close();
  });

  it('validates requests before sending them', async () => {
    const { client, socket } = makeClient();
    socket().open();
    await assert.rejects(
      client.invoke('shift.open', { floatFen: -1 }),
      (error: unknown) =>
        PosError.is(error) && error.code === 'VALIDATION' && error.field === 'payload.floatFen',
    );
    await assert.rejects(
      client.invoke('sale.addItem', { barcode: '1', sku: 'x' }),
      (error: unknown) => PosError.is(error) && error.code === 'VALIDATION',
    );
    assert.equal(socket().sent.length, 0);
    client.close();
  });

  it('delivers validated events to subscribers and drops invalid ones', async () => {
    const { client, socket } = makeClient();
    socket().open();
    const seen: unknown[] = [];
    const off = client.subscribe('sale.changed', (payload) => seen.push(payload.sale?.id ?? null));
    const warn = mock.method(console, 'warn', () => undefined);
    socket().reply({ kind: 'event', name: 'sale.changed', payload: { sale: sale('s1', []) } });
    socket().reply({ kind: 'event', name: 'sale.changed', payload: { sale: { id: 5 } } });
    socket().reply({ kind: 'event', name: 'no.such.event', payload: {} });
    socket().reply({ kind: 'event', name: 'sale.changed', payload: { sale: null } });
    socket().onmessage?.({ data: 'not json' });
    off();
    socket().reply({ kind: 'event', name: 'sale.changed', payload: { sale: null } });
    assert.deepEqual(seen, ['s1', null]);
    assert.equal(warn.mock.callCount(), 3);
    warn.mock.restore();
    client.close();
  });

  it('queues requests made while connecting and sends them on open', async () => {
    const { client, socket } = makeClient();
    assert.equal(client.connection, 'connecting');
    const pending = client.invoke('system.info', {});
    assert.equal(socket().sent.length, 0);
    socket().open();
    assert.equal(client.connection, 'connected');
    assert.equal(socket().sent.length, 1);
    socket().reply({
      kind: 'response',
      id: socket().last().id,
      ok: true,
      result: {
        version: '0.1.0',
        shopName: 'Shop',
        terminalId: 'T1',
        timezone: 'Asia/Shanghai',
        defaultLocale: 'zh-CN',
      },
    });
    assert.equal((await pending).shopName, 'Shop');
    client.close();
  });
});

describe('PosClient reconnection', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('fails in-flight requests as lost, reconnects with backoff and reports its state', async () => {
    const { client, socket } = makeClient();
    const states: string[] = [];
    client.onConnectionChange((s) => states.push(s));
    socket().open();
    const first = socket();
    const inFlight = client.invoke('sale.current', {});
    first.drop();
    await assert.rejects(inFlight, (e: unknown) => TransportError.is(e) && e.reason === 'lost');
    assert.equal(client.connection, 'reconnecting');

    mock.timers.tick(99);
    assert.equal(FakeSocket.all.length, 1, 'waits for the backoff');
    mock.timers.tick(1);
    assert.equal(FakeSocket.all.length, 2, 'first retry after 100 ms');
    socket().drop();
    mock.timers.tick(199);
    assert.equal(FakeSocket.all.length, 2);
    mock.timers.tick(1);
    assert.equal(FakeSocket.all.length, 3, 'second retry after 200 ms');
    socket().open();
    assert.deepEqual(states, ['connected', 'reconnecting', 'connected']);

    // A later drop starts the backoff from the beginning again.
    socket().drop();
    mock.timers.tick(100);
    assert.equal(FakeSocket.all.length, 4);
    client.close();
  });

  it('a request made while disconnected waits, then fails as offline', async () => {
    const { client, socket } = makeClient({ connectWaitMs: 1_000 });
    socket().drop();
    const pending = client.invoke('sale.current', {});
    mock.timers.tick(1_000);
    await assert.rejects(pending, (e: unknown) => TransportError.is(e) && e.reason === 'offline');
    client.close();
  });

  it('a request with no answer times out', async () => {
    const { client, socket } = makeClient({ requestTimeoutMs: 2_000 });
    socket().open();
    const pending = client.invoke('sale.current', {});
    mock.timers.tick(2_000);
    await assert.rejects(pending, (e: unknown) => TransportError.is(e) && e.reason === 'timeout');
    client.close();
  });

  it('whenConnected resolves on connection or after the timeout', async () => {
    const { client, socket } = makeClient();
    const early = client.whenConnected(500);
    mock.timers.tick(500);
    assert.equal(await early, false);
    const later = client.whenConnected(500);
    socket().open();
    assert.equal(await later, true);
    client.close();
  });
});

describe('PosClient over the Electron bridge', () => {
  function fakeBridge(reply: (channel: string, payload: unknown) => unknown) {
    let listener: ((name: string, payload: unknown) => void) | null = null;
    const bridge: PosBridge = {
      invoke: async (channel, payload) =>
        reply(channel, payload) as Awaited<ReturnType<PosBridge['invoke']>>,
      subscribe: (l) => {
        listener = l;
        return () => {
          listener = null;
        };
      },
    };
    return { bridge, emit: (name: string, payload: unknown) => listener?.(name, payload) };
  }

  it('finds window.pos only when it has the bridge shape', () => {
    const { bridge } = fakeBridge(() => null);
    assert.equal(findBridge({ pos: bridge } as unknown as Window), bridge);
    assert.equal(findBridge({} as unknown as Window), null);
    assert.equal(findBridge({ pos: { invoke: 1 } } as unknown as Window), null);
  });

  it('invokes, validates and relays events like the WebSocket transport', async () => {
    const { bridge, emit } = fakeBridge((channel) =>
      channel === 'catalog.lookup'
        ? { ok: true, result: cola }
        : { ok: false, error: { code: 'NOT_FOUND', message: 'nope' } },
    );
    const client = new PosClient(bridgeTransport(bridge));
    assert.equal(client.connection, 'connected');
    assert.deepEqual(await client.invoke('catalog.lookup', { barcode: cola.barcode }), cola);
    await assert.rejects(
      client.invoke('sale.get', { saleId: 'x' }),
      (e: unknown) => PosError.is(e) && e.code === 'NOT_FOUND',
    );
    const names: string[] = [];
    client.subscribe('shift.changed', ({ shift }) =>
      names.push(shift === null ? 'none' : shift.id),
    );
    emit('shift.changed', { shift: null });
    await flush();
    assert.deepEqual(names, ['none']);
    client.close();
  });

  it('a bridge that throws is a lost request, a garbage reply is INTERNAL', async () => {
    const throwing: PosBridge = {
      invoke: () => Promise.reject(new Error('ipc gone')),
      subscribe: () => () => undefined,
    };
    await assert.rejects(
      new PosClient(bridgeTransport(throwing)).invoke('sale.current', {}),
      (e: unknown) => TransportError.is(e) && e.reason === 'lost',
    );
    const garbage: PosBridge = {
      invoke: () => Promise.resolve('hello' as never),
      subscribe: () => () => undefined,
    };
    await assert.rejects(
      new PosClient(bridgeTransport(garbage)).invoke('sale.current', {}),
      (e: unknown) => PosError.is(e) && e.code === 'INTERNAL',
    );
  });
});

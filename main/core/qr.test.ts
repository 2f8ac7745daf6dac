/**
 * The QR tender through the core (sale.showQr, sale.cancelQr, 'qr.state') with the reference
 * acquirer against the real reference cloud on loopback: the payer's phone is the back office's
 * scan route (what `npm run cloud -- scan` calls); the ledger is a real SQLite file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CloudClient } from '../../cloud/client';
import { databaseLabel, startTestCloud, type TestCloud } from '../../cloud/test-support';
import type { EventPayload, QrState, Sale } from '../contract';
import { CUSTOMER_EVENTS } from './access';
import { createPosCore, type PosCore } from './core';
import { ReferenceAcquirer } from './payments';
import { call, refusal, signInCashier } from './test-support/calls';

describe(`the QR tender at the till (${databaseLabel()})`, () => {
  let t: TestCloud;
  let terminal: CloudClient;
  const dirs: string[] = [];
  const cores: PosCore[] = [];
  let n = 0;

  before(async () => {
    t = await startTestCloud();
    terminal = await t.pairedTerminal();
  });
  after(async () => {
    cores.forEach((c) => c.close());
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
    await t.close();
  });

  function startCore(withAcquirer = true) {
    const dir = mkdtempSync(join(tmpdir(), 'pos-qr-'));
    dirs.push(dir);
    const reference = new ReferenceAcquirer({ baseUrl: t.cloud.url, client: terminal });
    const core = createPosCore(
      {
        dataDir: dir,
        shopName: 'Test Shop',
        terminalId: 'T01',
        timezone: 'Asia/Shanghai',
        defaultLocale: 'zh-CN',
      },
      undefined,
      {
        payments: withAcquirer ? { acquirers: { reference }, qrPollMs: 25 } : { acquirers: {} },
      },
    );
    cores.push(core);
    const states: QrState[] = [];
    const waiters: { want: QrState['state']; resolve: (s: QrState) => void }[] = [];
    core.onEvent((name, payload) => {
      if (name !== 'qr.state') return;
      const state = payload as EventPayload<'qr.state'>;
      states.push(state);
      for (const w of waiters.splice(0)) {
        if (w.want === state.state) w.resolve(state);
        else waiters.push(w);
      }
    });
    /** The next 'qr.state' of this kind (or the one already heard). */
    const reaches = (want: QrState['state']) =>
      new Promise<QrState>((resolve) => {
        const heard = states.find((s) => s.state === want);
        if (heard !== undefined) resolve(heard);
        else waiters.push({ want, resolve });
      });
    return { core, states, reaches };
  }

  async function openSale(core: PosCore): Promise<Sale> {
    await signInCashier(core);
    if (core.ledger.currentShift() === null) await call(core, 'shift.open', { floatFen: 0 });
    return call(core, 'sale.addItem', { sku: 'DRK-001', qty: 2 });
  }

  async function payer(balanceFen: number) {
    const { payerId } = await t.admin.createPayer({
      name: '张无忌',
      phone: `138${String(20_000_000 + ++n)}`,
      balanceFen,
    });
    return {
      scan: (url: string) => t.admin.scanQr(payerId, url),
      balance: async () => (await t.admin.payer(payerId)).balanceFen,
    };
  }

  it('the customer scans the QR: the sale completes once with the due amount', async () => {
    const { core, reaches } = startCore();
    await core.payCode.recovered;
    const sale = await openSale(core);
    const p = await payer(100_000);
    const shown = await call(core, 'sale.showQr', { saleId: sale.id });
    assert.equal(shown.mode, 'dynamic');
    if (shown.mode !== 'dynamic') return;
    assert.equal(shown.qr.state, 'showing');
    assert.equal(shown.qr.amountFen, sale.dueFen);
    assert.ok(shown.qr.qrCode !== null && shown.qr.expiresAt !== null);
    assert.ok(CUSTOMER_EVENTS.has('qr.state'), 'the customer display hears the QR');
    assert.equal((await p.scan(shown.qr.qrCode)).result, 'paid');
    const paid = await reaches('paid');
    assert.equal(paid.saleId, sale.id);
    const after = core.ledger.getSale(sale.id);
    assert.equal(after.status, 'completed');
    assert.deepEqual(
      after.payments.map((x) => x.amountFen),
      [sale.dueFen],
    );
    assert.equal(await p.balance(), 100_000 - sale.dueFen);
  });

  it('an item added while the QR shows: the QR comes down, the trade is cancelled', async () => {
    const { core, reaches } = startCore();
    const sale = await openSale(core);
    const p = await payer(100_000);
    const shown = await call(core, 'sale.showQr', { saleId: sale.id });
    if (shown.mode !== 'dynamic' || shown.qr.qrCode === null) return assert.fail('no QR');
    await call(core, 'sale.addItem', { sku: 'DRK-001', qty: 1 });
    const cancelled = await reaches('cancelled');
    assert.equal(cancelled.code, 'SALE_CHANGED');
    assert.notEqual((await p.scan(shown.qr.qrCode)).result, 'paid');
    assert.equal(await p.balance(), 100_000);
    assert.equal(core.ledger.getSale(sale.id).payments.length, 0);
    // The sale can show a fresh QR for its new amount.
    const again = await call(core, 'sale.showQr', { saleId: sale.id });
    assert.equal(
      again.mode === 'dynamic' && again.qr.amountFen,
      core.ledger.getSale(sale.id).dueFen,
    );
    const esc = await call(core, 'sale.cancelQr', { saleId: sale.id });
    assert.equal(esc.qr?.state, 'cancelled');
  });

  it('a payment code and face pay are refused (BUSY) while the QR shows', async () => {
    const { core } = startCore();
    const sale = await openSale(core);
    await call(core, 'sale.showQr', { saleId: sale.id });
    assert.equal(
      await refusal(core, 'sale.payByCode', { saleId: sale.id, code: '991234567890123456' }),
      'BUSY',
    );
    assert.equal(await refusal(core, 'facepay.start', { saleId: sale.id }), 'BUSY');
    await call(core, 'sale.cancelQr', { saleId: sale.id });
  });

  it('without an acquirer the QR tender stays a recorded tender', async () => {
    const { core } = startCore(false);
    const sale = await openSale(core);
    assert.deepEqual(await call(core, 'sale.showQr', { saleId: sale.id }), { mode: 'recorded' });
  });
});

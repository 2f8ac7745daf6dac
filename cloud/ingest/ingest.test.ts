import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { CloudClient, CloudEvent } from '../client/index';
import {
  liveEvidence,
  databaseLabel,
  enrolPayer,
  randomUnit,
  rng,
  startTestCloud,
  type TestCloud,
} from '../test-support';

const METHODS = ['cash', 'face', 'qr', 'card'] as const;

/** A terminal's day of trading as outbox events, with its own running totals to compare with. */
function tradingDay(terminalId: string, businessDate: string, sales: number, seed: number) {
  const random = rng(seed);
  const events: CloudEvent[] = [];
  const own = {
    salesCount: 0,
    salesFen: 0,
    taxFen: 0,
    refundsCount: 0,
    refundsFen: 0,
    byMethod: new Map<string, number>(),
  };
  const add = (method: string, fen: number) =>
    own.byMethod.set(method, (own.byMethod.get(method) ?? 0) + fen);
  for (let i = 0; i < sales; i++) {
    const totalFen = 1 + Math.floor(random() * 50_000);
    const split = Math.floor(random() * totalFen);
    const m1 = METHODS[Math.floor(random() * 4)] as string;
    const m2 = METHODS[Math.floor(random() * 4)] as string;
    const payments =
      split > 0
        ? [
            { method: m1, amountFen: split },
            { method: m2, amountFen: totalFen - split },
          ]
        : [{ method: m2, amountFen: totalFen }];
    const taxFen = Math.round((totalFen * 1300) / 11300);
    const saleId = `${terminalId}-sale-${i}`;
    events.push({
      id: randomUUID(),
      type: 'sale.completed',
      terminalId,
      createdAt: new Date().toISOString(),
      payload: { saleId, receiptNo: `R${i}`, businessDate, totalFen, taxFen, payments, lines: 3 },
    });
    own.salesCount++;
    own.salesFen += totalFen;
    own.taxFen += taxFen;
    for (const p of payments) add(p.method, p.amountFen);
    if (random() < 0.2) {
      const amountFen = 1 + Math.floor(random() * totalFen);
      const refundTaxFen = Math.round((amountFen * 1300) / 11300);
      const method = payments[0]?.method as string;
      events.push({
        id: randomUUID(),
        type: 'refund.created',
        terminalId,
        createdAt: new Date().toISOString(),
        payload: {
          refundId: `${saleId}-r`,
          saleId,
          businessDate,
          amountFen,
          taxFen: refundTaxFen,
          byMethod: [{ method, amountFen }],
        },
      });
      own.refundsCount++;
      own.refundsFen += amountFen;
      // Tax is reported net of refunded tax, as the terminal's own daily report does.
      own.taxFen -= refundTaxFen;
      add(method, -amountFen);
    }
    if (random() < 0.1) {
      events.push({
        id: randomUUID(),
        type: 'shift.opened',
        terminalId,
        createdAt: new Date().toISOString(),
        payload: { floatFen: 99_999 },
      });
    }
  }
  return { events, own };
}

describe(`event ingestion and store reports (${databaseLabel()})`, () => {
  let t: TestCloud;
  let tillA: CloudClient;
  let tillB: CloudClient;
  let otherShop: CloudClient;

  before(async () => {
    t = await startTestCloud();
    tillA = await t.pairedTerminal('shop-1');
    const { code } = await t.admin.pairingCode('shop-1', 'till B');
    tillB = await t.pairedTerminal('shop-1b');
    await tillB.pair(code); // re-pair onto shop-1: two terminals of one shop
    otherShop = await t.pairedTerminal('shop-2');
  });
  after(() => t.close());

  const id = (c: CloudClient) => c.credentials?.terminalId as string;

  it('stores each event once: the same batch twice, and overlapping batches', async () => {
    const { events } = tradingDay(id(tillA), '2026-03-01', 30, 1);
    const first = await tillA.ingestEvents(events.slice(0, 20));
    assert.equal(first.inserted, 20);
    assert.deepEqual(
      first.acknowledged,
      events.slice(0, 20).map((e) => e.id),
    );
    assert.equal((await tillA.ingestEvents(events.slice(0, 20))).inserted, 0);
    const overlap = await tillA.ingestEvents(events.slice(10));
    assert.equal(overlap.inserted, events.length - 20);
    assert.equal(overlap.acknowledged.length, events.length - 10);
    const report = await t.admin.storeDailyReport('shop-1', '2026-03-01');
    assert.equal(report.salesCount, 30);
  });

  it('reports a store day across terminals to the fen, matching what the terminals counted', async () => {
    const date = '2026-03-02';
    const a = tradingDay(id(tillA), date, 400, 2);
    const b = tradingDay(id(tillB), date, 250, 3);
    const elsewhere = tradingDay(id(otherShop), date, 100, 4);
    const otherDay = tradingDay(id(tillA), '2026-03-03', 50, 5);
    // Sent in uneven batches, some twice, interleaved: as flaky networks and retries do.
    for (const [client, events] of [
      [tillA, a.events],
      [tillB, b.events],
      [otherShop, elsewhere.events],
      [tillA, otherDay.events],
    ] as const) {
      for (let i = 0; i < events.length; i += 137) {
        await client.ingestEvents(events.slice(i, i + 137));
        if (i % 2 === 0) await client.ingestEvents(events.slice(i, i + 50));
      }
    }
    const report = await tillA.storeDailyReport(date);
    const sum = (k: 'salesCount' | 'salesFen' | 'taxFen' | 'refundsCount' | 'refundsFen') =>
      a.own[k] + b.own[k];
    assert.deepEqual(
      {
        salesCount: report.salesCount,
        salesFen: report.salesFen,
        taxFen: report.taxFen,
        refundsCount: report.refundsCount,
        refundsFen: report.refundsFen,
      },
      {
        salesCount: sum('salesCount'),
        salesFen: sum('salesFen'),
        taxFen: sum('taxFen'),
        refundsCount: sum('refundsCount'),
        refundsFen: sum('refundsFen'),
      },
    );
    assert.equal(report.netFen, report.salesFen - report.refundsFen);
    const terminalA = report.byTerminal.find((r) => r.terminalId === id(tillA));
    assert.deepEqual(terminalA, {
      terminalId: id(tillA),
      salesCount: a.own.salesCount,
      salesFen: a.own.salesFen,
      refundsCount: a.own.refundsCount,
      refundsFen: a.own.refundsFen,
      netFen: a.own.salesFen - a.own.refundsFen,
    });
    for (const m of report.byMethod) {
      const own = (a.own.byMethod.get(m.method) ?? 0) + (b.own.byMethod.get(m.method) ?? 0);
      assert.equal(m.netFen, own, m.method);
    }
    assert.equal(
      report.byMethod.reduce((s, m) => s + m.salesFen, 0),
      report.salesFen,
    );

    const chain = await t.admin.chainDailyReport(date);
    assert.equal(
      chain.stores.find((s) => s.storeId === 'shop-2')?.salesFen,
      elsewhere.own.salesFen,
    );
    assert.equal(chain.stores.find((s) => s.storeId === 'shop-1')?.netFen, report.netFen);
  });

  it("a register's order arrives with its origin and, sent twice, counts once", async () => {
    const date = '2026-03-09'; // a day of its own
    const event: CloudEvent = {
      id: randomUUID(),
      type: 'sale.completed',
      terminalId: id(tillA),
      createdAt: new Date().toISOString(),
      payload: {
        origin: { kind: 'register', registerId: 'reg-1', registerName: 'ERP 1', orderNo: 'SO-9' },
        saleId: 'register-sale',
        receiptNo: 'R9',
        businessDate: date,
        totalFen: 990,
        taxFen: 0,
        payments: [{ method: 'card', amountFen: 990 }],
      },
    };
    assert.equal((await tillA.ingestEvents([event])).inserted, 1);
    assert.equal((await tillA.ingestEvents([event])).inserted, 0);
    const report = await t.admin.storeDailyReport('shop-1', date);
    assert.deepEqual([report.salesCount, report.salesFen], [1, 990]);
  });

  it('a ¥0.00 sale (100 % off, free items) arrives with no payments and counts as a sale of 0', async () => {
    const date = '2026-03-07'; // a day of its own: other tests read 03-04's report
    const free: CloudEvent = {
      id: randomUUID(),
      type: 'sale.completed',
      terminalId: id(tillA),
      createdAt: new Date().toISOString(),
      payload: {
        saleId: 'zero-sale',
        receiptNo: 'R0',
        businessDate: date,
        totalFen: 0,
        taxFen: 0,
        payments: [],
      },
    };
    const paid: CloudEvent = {
      ...free,
      id: randomUUID(),
      payload: {
        saleId: 'paid-sale',
        receiptNo: 'R1',
        businessDate: date,
        totalFen: 500,
        taxFen: 58,
        payments: [{ method: 'cash', amountFen: 500 }],
      },
    };
    assert.equal((await tillA.ingestEvents([free, paid])).inserted, 2);
    const report = await tillA.storeDailyReport(date);
    assert.deepEqual([report.salesCount, report.salesFen, report.netFen], [2, 500, 500]);
    assert.deepEqual(
      report.byMethod.map((m) => [m.method, m.salesFen]),
      [['cash', 500]],
    );
  });

  it("refuses another terminal's events and malformed money events, naming the field", async () => {
    const { events } = tradingDay(id(tillA), '2026-03-04', 2, 6);
    await assert.rejects(tillB.ingestEvents(events), {
      code: 'FORBIDDEN',
      field: 'events.0.terminalId',
    });
    const bad = structuredClone(events);
    (bad[0]?.payload as { totalFen: number }).totalFen = 12.5;
    await assert.rejects(tillA.ingestEvents(bad), {
      code: 'VALIDATION',
      field: 'events.0.payload.totalFen',
    });
    // A refund must say the tax it gave back: the report nets it, and a guess would skew it.
    const refundEvents = tradingDay(id(tillA), '2026-03-04', 40, 9).events;
    const at = refundEvents.findIndex((e) => e.type === 'refund.created');
    assert.ok(at >= 0);
    delete (refundEvents[at]?.payload as { taxFen?: number }).taxFen;
    await assert.rejects(tillA.ingestEvents(refundEvents), {
      code: 'VALIDATION',
      field: `events.${at}.payload.taxFen`,
    });
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({
      ...(events[0] as CloudEvent),
      id: `x${i}`,
    }));
    await assert.rejects(tillA.ingestEvents(tooMany), { code: 'VALIDATION' });
    assert.equal(
      (await t.admin.storeDailyReport('shop-1', '2026-03-04')).salesCount,
      0,
      'nothing of a refused batch',
    );
  });
});

describe(`reconciling reported face payments with the cloud's debits (${databaseLabel()})`, () => {
  let t: TestCloud;
  before(async () => {
    t = await startTestCloud({ threshold: 0.41, margin: 0.05 });
  });
  after(() => t.close());

  it('attack: a face payment with no matching debit, or another amount, is flagged; a matching one is not', async () => {
    const storeId = `store-rec-${randomUUID().slice(0, 8)}`;
    const till = await t.pairedTerminal(storeId);
    const terminalId = till.credentials?.terminalId ?? '';
    const face = randomUnit(rng(11));
    await enrolPayer(t.admin, {
      name: '赵敏',
      phone: '13911112222',
      balanceFen: 10_000,
      templates: [face],
    });
    const pay = async (saleId: string, amountFen: number) => {
      const answer = await till.identify({ embedding: face, liveness: liveEvidence(), amountFen });
      assert.equal(answer.result, 'match');
      if (answer.result !== 'match') throw new Error('no match');
      return till.authorise({
        token: answer.token,
        amountFen,
        saleId,
        idempotencyKey: randomUUID(),
      });
    };
    const paid = await pay('sale-real', 1_200);
    const sale = (saleId: string, payments: unknown[]): CloudEvent => ({
      id: randomUUID(),
      type: 'sale.completed',
      terminalId,
      createdAt: new Date().toISOString(),
      payload: {
        saleId,
        receiptNo: null,
        businessDate: '2025-03-14',
        totalFen: 1_500,
        taxFen: 0,
        payments,
      },
    });
    const events = [
      // Matches the cloud's debit: nothing to flag.
      sale('sale-real', [
        { method: 'cash', amountFen: 300 },
        { method: 'face', amountFen: 1_200, reference: paid.paymentId },
      ]),
      // Typed in at the till: a made-up reference, none at all, and a real payer's payment
      // named for another sale.
      sale('sale-typed', [{ method: 'face', amountFen: 1_500, reference: 'pay_made-up' }]),
      sale('sale-noref', [{ method: 'face', amountFen: 1_500 }]),
      sale('sale-other', [{ method: 'face', amountFen: 1_200, reference: paid.paymentId }]),
    ];
    // The real debit reported with another amount.
    const paid2 = await pay('sale-short', 800);
    events.push(
      sale('sale-short', [{ method: 'face', amountFen: 1_500, reference: paid2.paymentId }]),
    );
    await till.ingestEvents(events);
    await till.ingestEvents(events); // sent again: flagged once

    const { exceptions } = await t.admin.reconciliationExceptions(storeId);
    const seen = exceptions
      .map((e) => [e.saleId, e.kind, e.amountFen, e.debitedFen, e.terminalId] as const)
      .sort();
    assert.deepEqual(seen, [
      ['sale-noref', 'UNKNOWN_DEBIT', 1_500, null, terminalId],
      ['sale-other', 'UNKNOWN_DEBIT', 1_200, null, terminalId],
      ['sale-short', 'AMOUNT_MISMATCH', 1_500, 800, terminalId],
      ['sale-typed', 'UNKNOWN_DEBIT', 1_500, null, terminalId],
    ]);
    // Another store's back office list does not show them.
    assert.deepEqual((await t.admin.reconciliationExceptions('shop-none')).exceptions, []);
  });
});

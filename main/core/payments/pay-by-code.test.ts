/**
 * The flow's rarer branches, driven by a scripted acquirer (the acquirer is the edge of the world;
 * the gateways in test-support cover the common paths through the real adapters). Each script
 * says what the acquirer answers, in order; the flow must end paid only when the acquirer said
 * paid for the amount asked, and must never start a second charge for the sale.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AttemptJournal } from './journal';
import { PayByCode } from './pay-by-code';
import { FakeClock } from './test-support/fake-clock';
import type { Acquirer, CancelOutcome, TradeOutcome } from './types';

const CODE = '284112345678901234';
const SALE = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const PAID: TradeOutcome = {
  kind: 'paid',
  acquirerTradeNo: 'T1',
  amountFen: 1000,
  paidAt: '2026-12-06T02:00:00.000Z',
};

class ScriptedAcquirer implements Acquirer {
  readonly name = 'alipay' as const;
  readonly schemes = ['alipay'] as const;
  readonly log: string[] = [];
  constructor(
    private readonly pays: Array<TradeOutcome | Error>,
    private readonly queries: Array<TradeOutcome | Error>,
    private readonly cancels: CancelOutcome[],
  ) {}
  private next<T>(list: Array<T | Error>, what: string): Promise<T> {
    this.log.push(what);
    const item = list.shift();
    if (item === undefined) throw new Error(`unexpected ${what}`);
    return item instanceof Error ? Promise.reject(item) : Promise.resolve(item);
  }
  payByCode = () => this.next(this.pays, 'pay');
  query = () => this.next(this.queries, 'query');
  cancel = () => this.next(this.cancels, 'cancel');
  precreate = () => Promise.reject(new Error('not scripted'));
  refund = () => Promise.reject(new Error('not scripted'));
  refundQuery = () => Promise.reject(new Error('not scripted'));
  settlementList = () => Promise.reject(new Error('not scripted'));
}

let dir: string;
let journal: AttemptJournal;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'acq-flow-'));
  journal = new AttemptJournal(join(dir, 'payments.db'));
});
afterEach(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

function pay(acquirer: ScriptedAcquirer) {
  return new PayByCode({ acquirers: { alipay: acquirer }, journal, clock: new FakeClock() }).pay({
    saleId: SALE,
    amountFen: 1000,
    code: CODE,
    subject: 'S',
  });
}

describe('pay-by-code flow edges', () => {
  it('an adapter that throws is an unknown answer: query, then cancel; never paid', async () => {
    const acquirer = new ScriptedAcquirer(
      [new Error('socket hang up')],
      [new Error('socket hang up'), { kind: 'not_found' }],
      [{ kind: 'cancelled', refunded: false }],
    );
    const result = await pay(acquirer);
    assert.equal(result.status, 'refused');
    assert.deepEqual(acquirer.log, ['pay', 'query', 'query', 'cancel']);
  });

  it('"paid" for another amount than asked is reversed, not accepted', async () => {
    const acquirer = new ScriptedAcquirer(
      [{ ...PAID, amountFen: 10 }],
      [],
      [{ kind: 'cancelled', refunded: true }],
    );
    const result = await pay(acquirer);
    assert.equal(result.status === 'refused' && result.code, 'AMOUNT_MISMATCH');
    assert.deepEqual(acquirer.log, ['pay', 'cancel']);
  });

  it('the acquirer asks to resend the cancel: resent until cancelled', async () => {
    const acquirer = new ScriptedAcquirer(
      [{ kind: 'waiting' }],
      Array.from({ length: 10 }, () => ({ kind: 'waiting' }) as TradeOutcome),
      [
        { kind: 'retry', code: 'ACQ.SYSTEM_ERROR', message: 'retry' },
        { kind: 'cancelled', refunded: false },
      ],
    );
    const result = await pay(acquirer);
    assert.equal(result.status === 'refused' && result.code, 'BUYER_TIMEOUT');
    assert.deepEqual(acquirer.log.slice(-2), ['cancel', 'cancel']);
  });

  it('the buyer paid at the last second and the trade cannot be cancelled: paid, once', async () => {
    const acquirer = new ScriptedAcquirer(
      [{ kind: 'waiting' }],
      // 30 s of polls every 3 s: ten "still waiting", then the query after the refused cancel.
      [...Array.from({ length: 10 }, () => ({ kind: 'waiting' }) as TradeOutcome), PAID],
      [{ kind: 'refused', code: 'ACQ.REASON_TRADE_BEEN_FREEZEN', message: 'frozen' }],
    );
    const result = await pay(acquirer);
    assert.equal(result.status, 'paid');
    assert.equal(acquirer.log.filter((step) => step === 'pay').length, 1);
  });

  it('nothing can be settled: unknown, kept in the journal, and the next scan charges nothing new', async () => {
    const unknown: TradeOutcome = { kind: 'unknown', code: 'TIMEOUT', message: 'no answer' };
    const acquirer = new ScriptedAcquirer(
      [unknown],
      [unknown, unknown, unknown, unknown, unknown],
      [
        { kind: 'unknown', code: 'TIMEOUT', message: 'no answer' },
        { kind: 'unknown', code: 'TIMEOUT', message: 'no answer' },
        { kind: 'unknown', code: 'TIMEOUT', message: 'no answer' },
      ],
    );
    const result = await pay(acquirer);
    assert.equal(result.status, 'unknown');
    assert.match(result.status === 'unknown' ? result.message : '', /Check with the acquirer/);
    assert.equal(journal.unresolved()[0]?.state, 'unknown');
    // Next scan: the open attempt is asked first; it turns out paid: that payment, no new charge.
    const later = new ScriptedAcquirer([], [PAID], []);
    const again = await pay(later);
    assert.equal(again.status === 'paid' && again.replayed, true);
    assert.deepEqual(later.log, ['query']);
  });
});

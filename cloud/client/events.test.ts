import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Refund, Sale } from '../../main/contract';
import { eventEnvelope, refundCreatedPayload, saleCompletedPayload } from '../api';
import { toCloudEvent } from './events';

const at = '2026-03-01T15:59:00.000Z';
const sale: Sale = {
  id: 'S1',
  receiptNo: 'T01-000042',
  status: 'completed',
  shiftId: 'SH1',
  openedAt: at,
  completedAt: at,
  lines: [],
  subtotalFen: 2_000,
  lineDiscountFen: 0,
  saleDiscountFen: 0,
  totalFen: 2_000,
  taxFen: 230,
  paidFen: 2_000,
  dueFen: 0,
  changeFen: 500,
  payments: [
    {
      id: 'P1',
      method: 'face',
      amountFen: 1_200,
      tenderedFen: null,
      changeFen: 0,
      reference: 'pay_x',
      createdAt: at,
    },
    {
      id: 'P2',
      method: 'cash',
      amountFen: 800,
      tenderedFen: 1_300,
      changeFen: 500,
      reference: null,
      createdAt: at,
    },
  ],
  refundedFen: 0,
  operator: { id: 'C1', name: 'Li' },
};
const refund: Refund = {
  id: 'R1',
  saleId: 'S1',
  receiptNo: 'T01-000042',
  reason: 'damaged',
  lines: [],
  amountFen: 300,
  taxFen: 35,
  byMethod: [{ paymentId: 'P2', method: 'cash', amountFen: 300 }],
  createdAt: at,
  operator: { id: 'C1', name: 'Li' },
};
const shopDate = () => '2026-03-01';

describe('ledger outbox rows as cloud events', () => {
  it('maps a completed sale to what the reports read, takings not tender', () => {
    const event = toCloudEvent(
      { id: 'E1', type: 'sale.completed', payload: sale, createdAt: at },
      'trm_1',
      shopDate,
    );
    assert.ok(eventEnvelope.safeParse(event).success);
    assert.deepEqual(saleCompletedPayload.parse(event.payload), {
      saleId: 'S1',
      receiptNo: 'T01-000042',
      businessDate: '2026-03-01',
      totalFen: 2_000,
      taxFen: 230,
      // A face payment names the cloud's debit, which the cloud reconciles it with.
      payments: [
        { method: 'face', amountFen: 1_200, reference: 'pay_x' },
        { method: 'cash', amountFen: 800 },
      ],
    });
  });

  it('maps a refund, and passes other types through', () => {
    const event = toCloudEvent(
      { id: 'E2', type: 'refund.created', payload: refund, createdAt: at },
      'trm_1',
      shopDate,
    );
    assert.deepEqual(refundCreatedPayload.parse(event.payload), {
      refundId: 'R1',
      saleId: 'S1',
      businessDate: '2026-03-01',
      amountFen: 300,
      taxFen: 35,
      byMethod: [{ method: 'cash', amountFen: 300 }],
    });
    // A refund written before refunds carried their tax: the ledger's figure is looked up.
    const { taxFen: _tax, ...older } = refund;
    const upgraded = toCloudEvent(
      { id: 'E4', type: 'refund.created', payload: older, createdAt: at },
      'trm_1',
      shopDate,
      (id) => (id === 'R1' ? 34 : null),
    );
    assert.equal(refundCreatedPayload.parse(upgraded.payload).taxFen, 34);
    assert.throws(
      () =>
        toCloudEvent(
          { id: 'E5', type: 'refund.created', payload: older, createdAt: at },
          'trm_1',
          shopDate,
        ),
      /tax is not known/,
    );
    const other = toCloudEvent(
      { id: 'E3', type: 'shift.opened', payload: { floatFen: 10_000 }, createdAt: at },
      'trm_1',
      shopDate,
    );
    assert.deepEqual(other.payload, { floatFen: 10_000 });
  });
});

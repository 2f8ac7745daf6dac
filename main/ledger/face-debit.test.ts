/**
 * Issue 9: a face payment is recorded only on the cloud's signed debit. Each attack here once
 * worked through `sale.pay` (any typed reference) and is now refused with nothing written.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { PosError } from '../contract';
import { VerifiedFaceDebit } from './face-debit';
import {
  signFaceDebit,
  TEST_CLOUD_KEY,
  TEST_CLOUD_TERMINAL,
  testFaceDebit,
} from './test-support/face-debit';
import { openTestLedger, throwsCode } from './test-support/helpers';

function openSale() {
  const t = openTestLedger();
  t.ledger.openShift(0, t.op);
  const sale = t.ledger.addItem({ sku: 'DRK-001', qty: 2 });
  return { t, sale };
}

function refusal(fn: () => unknown): PosError {
  try {
    fn();
  } catch (error) {
    if (PosError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

test('attack: a face payment with a typed reference is refused by pay(); nothing is written', () => {
  const { t, sale } = openSale();
  try {
    const typed = { method: 'face', amountFen: sale.totalFen, reference: 'pay_victim' };
    const e = throwsCode(() => t.ledger.pay(sale.id, typed as never, t.op), 'VALIDATION');
    assert.match(e.message, /only by face pay/);
    assert.equal(t.ledger.getSale(sale.id).payments.length, 0);
  } finally {
    t.cleanup();
  }
});

test('attack: forged, tampered, unsigned or misdirected debits are refused before anything is written', () => {
  const { t, sale } = openSale();
  try {
    const fields = {
      paymentId: 'pay_1',
      terminalId: TEST_CLOUD_TERMINAL,
      saleId: sale.id,
      amountFen: sale.totalFen,
      at: '2025-03-14T02:00:00.000Z',
    };
    const expect = { terminalId: TEST_CLOUD_TERMINAL, saleId: sale.id, amountFen: sale.totalFen };
    const verify = (signed: unknown, e = expect) =>
      refusal(() => VerifiedFaceDebit.verify(signed, TEST_CLOUD_KEY.publicKey, e));
    // Signed by someone else's key (a forger, or a terminal's own made-up key).
    const forged = signFaceDebit(fields, generateKeyPairSync('ed25519').privateKey);
    assert.match(verify(forged).message, /cloud's signature/);
    // The cloud's signature, with the amount or the payment id changed afterwards.
    const real = signFaceDebit(fields);
    assert.match(verify({ ...real, amountFen: 1 }).message, /cloud's signature/);
    assert.match(verify({ ...real, paymentId: 'pay_victim' }).message, /cloud's signature/);
    // No signature at all.
    const { signature: _s, ...unsigned } = real;
    assert.match(verify(unsigned).message, /missing or malformed/);
    // Genuine, but for another sale, terminal or amount than the one being paid.
    assert.match(verify(real, { ...expect, saleId: 'other' }).message, /another sale/);
    assert.match(verify(real, { ...expect, terminalId: 'trm_x' }).message, /another terminal/);
    assert.match(verify(real, { ...expect, amountFen: 5 }).message, /another amount/);
    // A look-alike object is not a verified debit.
    const lookAlike = { debit: real } as unknown as VerifiedFaceDebit;
    throwsCode(() => t.ledger.payFace(lookAlike, t.op), 'FORBIDDEN');
    assert.equal(t.ledger.getSale(sale.id).payments.length, 0);
    // The genuine debit, for this sale, terminal and amount, passes.
    assert.ok(
      VerifiedFaceDebit.is(VerifiedFaceDebit.verify(real, TEST_CLOUD_KEY.publicKey, expect)),
    );
  } finally {
    t.cleanup();
  }
});

test('a verified debit records the face payment with the cloud id, and keeps the signature', () => {
  const { t, sale } = openSale();
  try {
    const debit = testFaceDebit(sale.id, sale.totalFen, 'pay_cloud-7');
    const paid = t.ledger.payFace(debit, t.op);
    assert.equal(paid.status, 'completed');
    assert.deepEqual(
      paid.payments.map((p) => [p.method, p.amountFen, p.reference]),
      [['face', sale.totalFen, 'pay_cloud-7']],
    );
    t.ledger.close();
    const raw = new Database(t.file, { readonly: true });
    const row = raw.prepare('SELECT * FROM face_debits').get() as Record<string, unknown>;
    raw.close();
    t.reopen();
    assert.equal(row.cloud_payment_id, 'pay_cloud-7');
    assert.equal(row.signature, debit.debit.signature);
    assert.equal(row.payment_id, paid.payments[0]?.id);
    // The same debit cannot pay the sale twice.
    throwsCode(() => t.ledger.payFace(debit, t.op), 'SALE_NOT_OPEN');
  } finally {
    t.cleanup();
  }
});

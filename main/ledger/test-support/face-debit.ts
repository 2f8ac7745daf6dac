/**
 * Face payments in ledger tests: the ledger records one only on a debit signed by the cloud's
 * payment key (face-debit.ts), so the tests hold a stand-in cloud key and sign debits with it,
 * exactly as the cloud does (cloud/crypto/payment-key.ts).
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import {
  faceDebitMessage,
  type FaceDebit,
  type PaymentMethod,
  type Sale,
  type TillTender,
} from '../../contract';
import { VerifiedFaceDebit } from '../face-debit';
import type { Ledger } from '../index';

const pair = generateKeyPairSync('ed25519');
/** The stand-in cloud's payment key pair. */
export const TEST_CLOUD_KEY: { publicKey: KeyObject; privateKey: KeyObject } = pair;
/** The cloud's id of the terminal under test. */
export const TEST_CLOUD_TERMINAL = 'trm_test';

/** A debit as the cloud signs it (`key`: another key, to forge one). */
export function signFaceDebit(
  fields: Omit<FaceDebit, 'signature'>,
  key: KeyObject = pair.privateKey,
): FaceDebit {
  const signature = sign(null, Buffer.from(faceDebitMessage(fields), 'utf8'), key);
  return { ...fields, signature: signature.toString('base64url') };
}

/** A verified debit of `amountFen` for the sale (the cloud's payment id made up unless given). */
export function testFaceDebit(
  saleId: string,
  amountFen: number,
  paymentId = `pay_${randomUUID()}`,
): VerifiedFaceDebit {
  const signed = signFaceDebit({
    paymentId,
    terminalId: TEST_CLOUD_TERMINAL,
    saleId,
    amountFen,
    at: new Date().toISOString(),
  });
  return VerifiedFaceDebit.verify(signed, pair.publicKey, {
    terminalId: TEST_CLOUD_TERMINAL,
    saleId,
    amountFen,
  });
}

/** Any tender as a test takes it: the till's through pay, face through a signed debit. */
export function payAny(
  ledger: Ledger,
  saleId: string,
  tender: { method: PaymentMethod; amountFen: number; tenderedFen?: number; reference?: string },
  operatorId: string,
): Sale {
  if (tender.method === 'face')
    return ledger.payFace(testFaceDebit(saleId, tender.amountFen, tender.reference), operatorId);
  return ledger.pay(saleId, { ...tender, method: tender.method as TillTender }, operatorId);
}

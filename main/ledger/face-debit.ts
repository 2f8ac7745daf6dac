/**
 * A face payment is recorded only on the cloud's signed word that it debited the payer's wallet
 * for this sale (issue 9: `sale.pay` once recorded a face payment on any reference a caller
 * typed, and refunding that sale credited a real payer). `VerifiedFaceDebit` is that word after
 * its Ed25519 signature was checked against the cloud's payment key: its constructor is private,
 * so the only way to hold one is `verify`, and the ledger's payFace takes nothing else. The
 * signature is kept beside the payment (face_debits, migration 13), so an auditor can check
 * every face payment against the cloud's key later.
 */
import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { faceDebit, faceDebitMessage, PosError, type FaceDebit } from '../contract';

/** The cloud's Ed25519 payment key, raw 32 bytes in base64url (as the cloud hands it out). */
export function paymentKeyFrom(publicKeyB64url: string): KeyObject {
  try {
    return createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: publicKeyB64url },
      format: 'jwk',
    });
  } catch {
    throw new PosError('VALIDATION', "the cloud's payment key is not an Ed25519 key", 'publicKey');
  }
}

function refuse(why: string): never {
  throw new PosError('FORBIDDEN', `face payment not recorded: ${why}`, 'authorisation');
}

export class VerifiedFaceDebit {
  private constructor(readonly debit: Readonly<FaceDebit>) {}

  /**
   * The debit, if `signed` is the cloud's signature over exactly these fields and they name this
   * terminal (its cloud id), this sale and this amount; FORBIDDEN otherwise.
   */
  static verify(
    signed: unknown,
    cloudKey: KeyObject,
    expect: { terminalId: string; saleId: string; amountFen: number },
  ): VerifiedFaceDebit {
    const parsed = faceDebit.safeParse(signed);
    if (!parsed.success) refuse('the authorisation is missing or malformed');
    const d = parsed.data;
    const { signature, ...fields } = d;
    const ok = verifySignature(
      null,
      Buffer.from(faceDebitMessage(fields), 'utf8'),
      cloudKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!ok) refuse("the authorisation does not carry the cloud's signature");
    if (d.terminalId !== expect.terminalId) refuse('the authorisation is for another terminal');
    if (d.saleId !== expect.saleId) refuse('the authorisation is for another sale');
    if (d.amountFen !== expect.amountFen) refuse('the authorisation is for another amount');
    return new VerifiedFaceDebit(Object.freeze({ ...d }));
  }

  /** Whether `value` came out of verify (a structural look-alike did not). */
  static is(value: unknown): value is VerifiedFaceDebit {
    return value instanceof VerifiedFaceDebit;
  }
}

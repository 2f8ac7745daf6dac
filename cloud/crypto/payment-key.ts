/**
 * The cloud's payment key: Ed25519, made on first start and kept in the cloud's secret store
 * (never in the database). Every approved face payment's answer carries the cloud's signature
 * over {paymentId, terminalId, saleId, amountFen, at} (main/contract faceDebitMessage), and a
 * terminal records a face payment only when that signature verifies against the public key it
 * was given at pairing (main/ledger/face-debit.ts): a caller at the till can no longer make one
 * up.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { faceDebitMessage, type FaceDebit } from '../../main/contract';
import type { SecretStore } from '../../main/shared/secret-store';

const NAME = 'payment-ed25519';
export const PAYMENT_KEY_ALG = 'Ed25519' as const;

export class PaymentSigner {
  /** Raw 32-byte public key, base64url: what terminals are given. */
  readonly publicKey: string;

  constructor(private readonly privateKey: KeyObject) {
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    if (typeof jwk.x !== 'string') throw new Error('the payment key is not an Ed25519 key');
    this.publicKey = jwk.x;
  }

  sign(fields: Omit<FaceDebit, 'signature'>): FaceDebit {
    const signature = sign(null, Buffer.from(faceDebitMessage(fields), 'utf8'), this.privateKey);
    return { ...fields, signature: signature.toString('base64url') };
  }

  /** Signs an acquire answer (acquire/answer-signature.ts builds the tagged message). */
  signMessage(message: string): string {
    return sign(null, Buffer.from(message, 'utf8'), this.privateKey).toString('base64url');
  }
}

export function loadOrCreatePaymentSigner(secrets: SecretStore): PaymentSigner {
  let der = secrets.get(NAME);
  if (der === null) {
    const { privateKey } = generateKeyPairSync('ed25519');
    der = privateKey.export({ format: 'der', type: 'pkcs8' });
    secrets.set(NAME, der);
  }
  return new PaymentSigner(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
}

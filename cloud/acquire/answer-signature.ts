/**
 * Every answer of the acquire routes to a terminal is signed by the cloud's payment key
 * (Ed25519, the key that signs face debits; terminals hold its public half since pairing), so the
 * terminal's reference acquirer takes "paid" only from the cloud itself: an answer without a
 * valid signature (a proxy's page, a forged or replayed body) is `unknown`, never paid.
 *
 * The message binds the answer to the request it answers: the terminal, the method and path, the
 * request's nonce (unique per request, so an old "paid" cannot be replayed to a new question),
 * the HTTP status and the body's hash. A domain tag keeps it apart from face-debit signatures.
 * node:crypto only: the terminal uses this under plain Node.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

export const ANSWER_SIGNATURE_HEADER = 'x-pos-answer-signature';

export interface AnswerFields {
  terminalId: string;
  method: string;
  /** The path and query exactly as the request was signed. */
  pathAndQuery: string;
  /** The request's x-pos-nonce. */
  nonce: string;
  status: number;
  body: string | Uint8Array;
}

export function acquireAnswerMessage(a: AnswerFields): string {
  return [
    'pos.acquire-answer.v1',
    a.terminalId,
    a.method.toUpperCase(),
    a.pathAndQuery,
    a.nonce,
    String(a.status),
    createHash('sha256').update(a.body).digest('hex'),
  ].join('\n');
}

/** The cloud's Ed25519 payment key from its raw base64url form (as given at pairing). */
export function answerKeyFrom(publicKeyB64url: string): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: publicKeyB64url },
    format: 'jwk',
  });
}

export function answerSignatureValid(
  key: KeyObject,
  fields: AnswerFields,
  signature: string | null,
): boolean {
  if (signature === null || !/^[A-Za-z0-9_-]{86}$/.test(signature)) return false;
  try {
    return verify(
      null,
      Buffer.from(acquireAnswerMessage(fields), 'utf8'),
      key,
      Buffer.from(signature, 'base64url'),
    );
  } catch {
    return false;
  }
}

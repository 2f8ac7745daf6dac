import * as api from '../api';
import type { AtRestKey } from '../crypto/at-rest';
import type { Db } from '../db';
import { PAYMENT_KEY_ALG, type PaymentSigner } from '../crypto/payment-key';
import type { SealOpener } from '../crypto/seal';
import { SEAL_ALG } from '../crypto/seal';
import type { Router } from '../http';
import { createPairingCode, pairTerminal } from './terminals';

export function pairingRoutes(
  router: Router,
  db: Db,
  opener: SealOpener,
  terminalSecrets: AtRestKey,
  signer: PaymentSigner,
): void {
  router.add({
    method: 'GET',
    url: '/v1/keys/identify',
    auth: 'public',
    handler: async () => ({ alg: SEAL_ALG, publicKey: opener.publicKey }),
  });

  /** For terminals paired before the cloud signed payments: the key that signs them. */
  router.add({
    method: 'GET',
    url: '/v1/keys/payment',
    auth: 'terminal',
    handler: async () => ({ alg: PAYMENT_KEY_ALG, publicKey: signer.publicKey }),
  });

  /** A terminal trades a one-time code for its id and signing secret. */
  router.add({
    method: 'POST',
    url: '/v1/pair',
    auth: 'public',
    body: api.pairRequest,
    status: 201,
    handler: async ({ body }) => ({
      ...(await pairTerminal(db, terminalSecrets, body.code, body.terminalName)),
      identifyPublicKey: opener.publicKey,
      paymentPublicKey: signer.publicKey,
      serverTime: new Date().toISOString(),
    }),
  });

  router.add({
    method: 'POST',
    url: '/v1/admin/stores',
    auth: 'admin',
    body: api.createStoreRequest,
    status: 201,
    handler: async ({ body }) => {
      await db.query(
        `INSERT INTO stores (id, name, timezone) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, timezone = EXCLUDED.timezone`,
        [body.storeId, body.name, body.timezone],
      );
      return body;
    },
  });

  router.add({
    method: 'POST',
    url: '/v1/admin/pairing-codes',
    auth: 'admin',
    body: api.pairingCodeRequest,
    status: 201,
    handler: ({ body }) => createPairingCode(db, body.storeId, body.terminalName),
  });
}

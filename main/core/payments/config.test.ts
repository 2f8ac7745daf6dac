/** Per-terminal acquirer configuration: env for what is public, the secret store for keys. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PosError } from '../../contract';
import { FileSecretStore } from '../../shared/secret-store';
import { SECRET_NAMES } from './acquirers/secrets';
import { createAcquirers, paymentsConfigFromEnv } from './config';
import { AttemptJournal } from './journal';
import { PayByCode } from './pay-by-code';
import { makeRsaPair } from './test-support/alipay-gateway';

const dir = mkdtempSync(join(tmpdir(), 'acq-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('acquirer configuration', () => {
  it('none configured: a payment code gets "no acquirer configured", nothing is sent', async () => {
    const acquirers = createAcquirers(
      paymentsConfigFromEnv({}),
      new FileSecretStore(join(dir, 's0')),
    );
    assert.deepEqual(acquirers, {});
    const journal = new AttemptJournal(join(dir, 'p0.db'));
    try {
      const payments = new PayByCode({ acquirers, journal });
      await assert.rejects(
        () =>
          payments.pay({
            saleId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
            amountFen: 100,
            code: '284112345678901234',
            subject: 'S',
          }),
        (error: unknown) =>
          PosError.is(error) &&
          error.code === 'NOT_SUPPORTED' &&
          /No acquirer is configured for Alipay/.test(error.message),
      );
    } finally {
      journal.close();
    }
  });

  it('keys come from the secret store; a missing key names the secret, never a value', () => {
    const store = new FileSecretStore(join(dir, 's1'));
    const env = {
      POS_ALIPAY_APP_ID: '2021000000000001',
      POS_WECHATPAY_APP_ID: 'wx2421b1c4370ec43b',
      POS_WECHATPAY_MCH_ID: '10000100',
    };
    assert.throws(
      () => createAcquirers(paymentsConfigFromEnv(env), store),
      /alipay-app-private-key/,
    );
    const app = makeRsaPair();
    store.set(SECRET_NAMES.alipayAppPrivateKey, Buffer.from(app.privatePem));
    store.set(SECRET_NAMES.alipayPublicKey, Buffer.from(makeRsaPair().publicPem));
    assert.throws(
      () => createAcquirers(paymentsConfigFromEnv(env), store),
      (error: Error) =>
        /wechatpay-api-key/.test(error.message) && !error.message.includes('PRIVATE'),
    );
    store.set(SECRET_NAMES.wechatApiKey, Buffer.from('192006250b4c09247ec02edce69f6a2d'));
    const acquirers = createAcquirers(paymentsConfigFromEnv(env), store);
    assert.deepEqual(Object.keys(acquirers).sort(), ['alipay', 'wechat']);
    assert.equal(acquirers.unionpay, undefined);
    const shown = JSON.stringify(acquirers);
    assert.ok(!shown.includes(app.privatePem.split('\n')[1] as string));
    assert.ok(!shown.includes('192006250b4c09247ec02edce69f6a2d'));
  });

  it('half a WeChat configuration is a clear error', () => {
    assert.throws(
      () => paymentsConfigFromEnv({ POS_WECHATPAY_APP_ID: 'wx1' }),
      /POS_WECHATPAY_MCH_ID/,
    );
  });
});

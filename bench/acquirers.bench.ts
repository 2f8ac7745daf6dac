/**
 * Acquirer benchmarks (`npm run bench -- acquirers`): one payment code charged through the whole
 * pay-by-code flow (classify, journal write with fsync, signed request, verified answer, journal
 * write, proof) against the loopback gateways that check signatures the way Alipay and WeChat Pay
 * do. What the terminal itself adds to a code payment; the acquirer's own time comes on top.
 *
 *   paycode.alipay_loopback_ms   alipay-sdk, RSA2 sign + verify (2048-bit keys); median and p95
 *   paycode.wechat_loopback_ms   WeChat Pay v2 XML, HMAC-SHA256; median and p95
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AlipayAcquirer } from '../main/core/payments/acquirers/alipay';
import { WechatPayAcquirer } from '../main/core/payments/acquirers/wechatpay';
import { AttemptJournal } from '../main/core/payments/journal';
import { PayByCode } from '../main/core/payments/pay-by-code';
import type { Acquirer } from '../main/core/payments/types';
import { AlipayGateway, makeRsaPair } from '../main/core/payments/test-support/alipay-gateway';
import { WechatPayGateway } from '../main/core/payments/test-support/wechatpay-gateway';
import { emit, median, quantile, round } from './report';

const RUNS = 200;
const WARMUP = 20;

async function measure(
  name: string,
  scheme: 'alipay' | 'wechat',
  acquirer: Acquirer,
  code: string,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'acq-bench-'));
  const journal = new AttemptJournal(join(dir, 'payments.db'));
  const payments = new PayByCode({ acquirers: { [scheme]: acquirer }, journal });
  const times: number[] = [];
  try {
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const start = performance.now();
      const result = await payments.pay({
        saleId: randomUUID(),
        amountFen: 1234,
        code,
        subject: 'Bench',
      });
      const elapsed = performance.now() - start;
      if (result.status !== 'paid') throw new Error(`${name}: ${result.status}`);
      if (i >= WARMUP) times.push(elapsed);
    }
  } finally {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  }
  emit({
    name,
    value: round(median(times)),
    unit: 'ms',
    p95: round(quantile(times, 0.95)),
    runs: RUNS,
  });
}

const app = makeRsaPair();
const alipayKeys = makeRsaPair();
const alipay = await AlipayGateway.start({
  appId: '2021000000000001',
  appPublicKeyPem: app.publicPem,
  alipayPrivateKeyPem: alipayKeys.privatePem,
});
const wechat = await WechatPayGateway.start({
  appId: 'wx2421b1c4370ec43b',
  mchId: '10000100',
  apiKey: '192006250b4c09247ec02edce69f6a2d',
});
try {
  await measure(
    'paycode.alipay_loopback_ms',
    'alipay',
    new AlipayAcquirer(
      { appId: '2021000000000001', gateway: alipay.url },
      { appPrivateKeyPem: app.privatePem, alipayPublicKeyPem: alipayKeys.publicPem },
    ),
    '284112345678901234',
  );
  await measure(
    'paycode.wechat_loopback_ms',
    'wechat',
    new WechatPayAcquirer(
      { appId: 'wx2421b1c4370ec43b', mchId: '10000100', baseUrl: wechat.url },
      { apiKey: '192006250b4c09247ec02edce69f6a2d' },
    ),
    '134567890123456789',
  );
} finally {
  await alipay.close();
  await wechat.close();
}

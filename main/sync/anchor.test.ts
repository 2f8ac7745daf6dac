/**
 * The attack a keyed chain alone cannot see: whoever holds the till (and so its audit key)
 * rewrites a paid sale and recomputes every MAC with the right key. The till's own check passes;
 * the cloud, which kept the chain head from the last sync, flags the terminal at the next sync
 * and the sync worker reports the mismatch. Real worker thread, real cloud on loopback (PGlite).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { Ledger } from '../ledger';
import { TEST_AUDIT_KEY } from '../ledger/test-support/helpers';
import { keyedWith, tamperAndRechain } from '../ledger/test-support/tamper';
import type { AnchorVerdict } from './engine';
import { SyncWorker, type SyncWorkerOptions } from './index';
import { openShop, ringUp, startShopCloud, until } from './test-support/shop';

test('a ledger rewritten with the right key is flagged by the cloud at the next sync', async () => {
  const shop = openShop();
  const cloud = await startShopCloud();
  const verdicts: AnchorVerdict[] = [];
  const options: SyncWorkerOptions = {
    ledgerFile: shop.file,
    timezone: 'Asia/Shanghai',
    baseUrl: cloud.test.cloud.url,
    credentials: cloud.credentials,
    settings: { pollMs: 10, statusIntervalMs: 0, catalogIntervalMs: 0 },
    onAnchor: (v) => verdicts.push(v),
  };
  let sync: SyncWorker | null = null;
  try {
    const sales = ringUp(shop.ledger, 12, 5);
    sync = SyncWorker.start(options);
    await until(() => verdicts.some((v) => v.status === 'ok'), 20_000, 'the first anchor');
    assert.equal(shop.ledger.pendingOutboxCount(), 0, 'events delivered before the anchor');
    const anchored = shop.ledger.auditHead().seq;
    await sync.stop();
    sync = null;

    // An honest restart with more trade: the worker learns the held seq and is told ok.
    ringUp(shop.ledger, 2, 6);
    verdicts.length = 0;
    sync = SyncWorker.start(options);
    await until(() => verdicts.length > 0, 20_000, 'the anchor after a restart');
    assert.deepEqual(
      verdicts.map((v) => v.status),
      ['ok'],
    );
    await sync.stop();
    sync = null;

    // The rewrite: a sale sold before the last sync is changed and every MAC from its first
    // link on is recomputed with the till's own key.
    const victim = sales[3];
    assert.ok(victim);
    shop.ledger.close();
    const raw = new Database(shop.file, { readonly: true });
    const from = (
      raw.prepare("SELECT min(seq) AS s FROM audit WHERE ref LIKE ? || '%'").get(victim.id) as {
        s: number;
      }
    ).s;
    raw.close();
    tamperAndRechain(
      shop.file,
      `UPDATE sales SET closed_at = '2020-01-01T00:00:00.000Z' WHERE id = '${victim.id}'`,
      keyedWith(TEST_AUDIT_KEY),
      from,
    );
    shop.ledger = Ledger.open({
      file: shop.file,
      auditKey: TEST_AUDIT_KEY,
      terminalId: 'T01',
      timezone: 'Asia/Shanghai',
    });
    assert.equal(shop.ledger.verifyAudit().ok, true, 'the till alone cannot tell');
    assert.ok(from <= anchored);

    ringUp(shop.ledger, 1, 7);
    verdicts.length = 0;
    sync = SyncWorker.start(options);
    await until(() => verdicts.length > 0, 20_000, "the cloud's verdict");
    const verdict = verdicts[0];
    assert.equal(verdict?.status, 'mismatch');
    assert.ok((verdict?.seq ?? 0) >= from, 'names a row at or after the rewrite');
    assert.match(verdict?.reason ?? '', /rewritten/);

    const { alerts } = await cloud.test.admin.auditAlerts(cloud.storeId);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]?.terminalId, cloud.credentials.terminalId);
    assert.equal(alerts[0]?.kind, 'rewritten');
    assert.equal(alerts[0]?.seq, verdict?.seq);
    // Events still flow: the anchor is apart from delivery.
    await until(() => shop.ledger.pendingOutboxCount() === 0, 20_000, 'delivery');
  } finally {
    await sync?.stop();
    await cloud.close();
    shop.ledger.close();
    shop.cleanup();
  }
});

/**
 * The cloud's audit anchors (service.ts), through the real HTTP service: a head is kept, a
 * till that restarts is asked for its MAC at the held seq, a different MAC (rewritten) or a
 * chain that ends before the held seq (cut or replaced) is flagged for the admin, nothing a
 * till sends replaces a held anchor, and only an admin lists the alerts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudRequestError } from '../client/index';
import { databaseLabel, startTestCloud, type TestCloud } from '../test-support';

const mac = (n: number) => n.toString(16).padStart(64, '0');

describe(`audit anchors (${databaseLabel})`, () => {
  let cloud: TestCloud;
  before(async () => {
    cloud = await startTestCloud({ logger: false });
  });
  after(() => cloud.close());

  it('keeps heads, asks a restarted till to prove the held one, flags a rewrite', async () => {
    const till = await cloud.pairedTerminal();
    const storeId = till.credentials?.storeId;
    assert.deepEqual(await till.anchorAudit({ head: { seq: 10, mac: mac(10) }, check: null }), {
      status: 'ok',
      heldSeq: 10,
    });
    // After a restart the till does not know what the cloud holds: asked, nothing stored.
    assert.deepEqual(await till.anchorAudit({ head: { seq: 12, mac: mac(12) }, check: null }), {
      status: 'check',
      heldSeq: 10,
    });
    assert.equal(
      (
        await till.anchorAudit({
          head: { seq: 12, mac: mac(12) },
          check: { seq: 10, mac: mac(10) },
        })
      ).status,
      'ok',
    );
    // The ledger rewritten: its MAC at 12 is not the one the cloud kept.
    const rewritten = await till.anchorAudit({
      head: { seq: 15, mac: mac(99) },
      check: { seq: 12, mac: mac(77) },
    });
    assert.equal(rewritten.status, 'mismatch');
    assert.equal(rewritten.seq, 12);
    // And it stays so: the rewritten chain's head was not taken.
    const again = await till.anchorAudit({
      head: { seq: 16, mac: mac(16) },
      check: { seq: 12, mac: mac(77) },
    });
    assert.equal(again.status, 'mismatch');
    // Cut short below what the cloud holds.
    const cut = await till.anchorAudit({ head: { seq: 3, mac: mac(3) }, check: null });
    assert.equal(cut.status, 'mismatch');
    assert.match(cut.reason ?? '', /ends at row 3, before row 12/);

    const { alerts } = await cloud.admin.auditAlerts(storeId);
    assert.deepEqual(
      alerts.map((a) => [a.kind, a.seq, a.terminalId]),
      [
        ['truncated', 12, till.credentials?.terminalId],
        ['rewritten', 12, till.credentials?.terminalId],
      ],
      'one alert per finding, however often the till syncs',
    );
    // The store's report says so beside its figures.
    const report = await cloud.admin.storeDailyReport(storeId ?? '', '2025-01-01');
    assert.deepEqual(
      report.auditAlerts?.map((a) => a.kind),
      ['truncated', 'rewritten'],
    );
  });

  it('a malformed anchor is refused, and only an admin lists the alerts', async () => {
    const till = await cloud.pairedTerminal();
    await assert.rejects(
      till.anchorAudit({ head: { seq: 0, mac: 'zz' }, check: null }),
      (e: unknown) => e instanceof CloudRequestError && e.status === 400,
    );
    const other = await cloud.pairedTerminal();
    await other.anchorAudit({ head: { seq: 1, mac: mac(1) }, check: null });
    const response = await fetch(`${cloud.cloud.url}/v1/admin/audit-alerts`);
    assert.equal(response.status, 401);
  });
});

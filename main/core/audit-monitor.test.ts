/**
 * The core watches the audit chain by itself: a ledger edited while the till was off is found
 * at the next start (before the screens open), the failure names the first bad row, reaches the
 * screens as `ledger.audit` and the cloud as one `audit.failed` outbox event however often it is
 * found again; a full check runs in the background; the cloud's mismatch stays until cleared.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import type { AuditStatus } from '../contract';
import { createPosCore, type CoreOptions, type PosCore } from './core';
import { call, managerSession, signInCashier } from './test-support/calls';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function openCore(dataDir: string, options: CoreOptions = {}): PosCore {
  return createPosCore(
    {
      dataDir,
      shopName: 'Test Shop',
      terminalId: 'T01',
      timezone: 'Asia/Shanghai',
      defaultLocale: 'zh-CN',
    },
    undefined,
    { audit: { fullCheckDelayMs: 3_600_000 }, ...options },
  );
}

function auditFailedEvents(file: string): unknown[] {
  const raw = new Database(file, { readonly: true });
  try {
    return (
      raw.prepare("SELECT payload FROM outbox WHERE type = 'audit.failed' ORDER BY seq").all() as {
        payload: string;
      }[]
    ).map((r) => JSON.parse(r.payload));
  } finally {
    raw.close();
  }
}

test('a ledger edited while the till was off is found at start and reported once', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-core-audit-'));
  dirs.push(dataDir);
  const file = join(dataDir, 'ledger.db');
  let core = openCore(dataDir);
  assert.equal(core.audit.current().ok, true);
  assert.equal(core.audit.current().scope, 'start');
  await signInCashier(core);
  await call(core, 'shift.open', { floatFen: 0 });
  let sale = await call(core, 'sale.addItem', { sku: 'DRK-001', qty: 1 });
  sale = await call(core, 'sale.pay', {
    saleId: sale.id,
    method: 'cash',
    amountFen: sale.totalFen,
  });
  core.close();

  // Behind the triggers, the paid sale's cash payment is recorded as a card payment.
  const raw = new Database(file);
  for (const { name } of raw
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    .all() as { name: string }[])
    raw.exec(`DROP TRIGGER ${name}`);
  raw.exec(
    `UPDATE payments SET method = 'card', tendered_fen = NULL, change_fen = 0 WHERE sale_id = '${sale.id}'`,
  );
  const seq = (
    raw
      .prepare("SELECT seq FROM audit WHERE kind = 'payment' AND ref LIKE ?")
      .get(`${sale.id}/%`) as { seq: number }
  ).seq;
  raw.close();

  core = openCore(dataDir);
  const events: AuditStatus[] = [];
  core.onEvent((name, payload) => {
    if (name === 'ledger.audit') events.push(payload as AuditStatus);
  });
  try {
    const status = core.audit.current();
    assert.equal(status.ok, false);
    assert.equal(status.scope, 'start');
    assert.equal(status.firstBroken?.seq, seq);
    assert.equal(status.firstBroken?.kind, 'payment');
    // Any staff screen reads it at load, before anyone signs in.
    const read = await call(core, 'ledger.auditStatus', {});
    assert.equal(read.firstBroken?.seq, seq);
    assert.deepEqual(
      auditFailedEvents(file).map((e) => (e as { seq: number }).seq),
      [seq],
    );

    // The manager's "check now": a full check, the same row named, no second outbox event.
    await managerSession(core);
    const now = await call(core, 'ledger.verify', {});
    assert.equal(now.scope, 'full');
    assert.equal(now.firstBroken?.seq, seq);
    assert.ok(
      events.some((e) => e.running),
      'the screens hear that a check is running',
    );
    assert.equal(events.at(-1)?.firstBroken?.seq, seq);
    assert.equal(auditFailedEvents(file).length, 1, 'the same failure is reported once');
  } finally {
    core.close();
  }
  // Found again at the next start: still one event.
  core = openCore(dataDir);
  core.close();
  assert.equal(auditFailedEvents(file).length, 1);
});

test("the cloud's mismatch raises the failure and a clean local check does not clear it", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-core-audit-'));
  dirs.push(dataDir);
  const core = openCore(dataDir);
  try {
    core.audit.reportAnchor({ status: 'mismatch', heldSeq: 7, seq: 7, reason: 'rewritten' });
    assert.equal(core.audit.current().ok, false);
    assert.equal(core.audit.current().scope, 'cloud');
    const full = await core.audit.checkFull();
    assert.equal(full.ok, false, 'a ledger rewritten with the key verifies locally');
    assert.equal(full.firstBroken?.kind, 'anchor');
    assert.equal(auditFailedEvents(join(dataDir, 'ledger.db')).length, 1);
    core.audit.reportAnchor({ status: 'ok', heldSeq: 9 });
    assert.equal(core.audit.current().ok, true);
  } finally {
    core.close();
  }
});

test('the audit key lives in the secret store, not beside the ledger in the database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-core-audit-'));
  dirs.push(dataDir);
  const core = openCore(dataDir);
  try {
    const key = core.secrets.get('audit-key');
    assert.ok(key !== null && key.length === 32);
    const raw = new Database(join(dataDir, 'ledger.db'), { readonly: true });
    const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    const hex = key.toString('hex');
    for (const { name } of tables) {
      const rows = raw.prepare(`SELECT * FROM "${name}"`).all();
      assert.ok(!JSON.stringify(rows).includes(hex), `${name} holds the key`);
    }
    raw.close();
  } finally {
    core.close();
  }
});

test('an edit before the start checkpoint is found by the full check that follows start', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-core-audit-'));
  dirs.push(dataDir);
  const file = join(dataDir, 'ledger.db');
  let core = openCore(dataDir);
  await signInCashier(core);
  await call(core, 'shift.open', { floatFen: 0 });
  let sale = await call(core, 'sale.addItem', { sku: 'DRK-001', qty: 1 });
  sale = await call(core, 'sale.pay', {
    saleId: sale.id,
    method: 'card',
    amountFen: sale.totalFen,
  });
  core.close();
  core = openCore(dataDir); // its start check puts the checkpoint at the head
  core.close();

  const raw = new Database(file);
  for (const { name } of raw
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    .all() as { name: string }[])
    raw.exec(`DROP TRIGGER ${name}`);
  raw.exec(`UPDATE sales SET closed_at = '2020-01-01T00:00:00.000Z' WHERE id = '${sale.id}'`);
  const seq = (
    raw.prepare("SELECT seq FROM audit WHERE kind = 'sale' AND ref = ?").get(sale.id) as {
      seq: number;
    }
  ).seq;
  raw.close();

  core = openCore(dataDir, { audit: { fullCheckDelayMs: 0, sliceRows: 1 } });
  try {
    const full = new Promise<AuditStatus>((resolve) =>
      core.onEvent((name, payload) => {
        const status = payload as AuditStatus;
        if (name === 'ledger.audit' && status.scope === 'full' && !status.running) resolve(status);
      }),
    );
    assert.equal(core.audit.current().ok, true, 'the start check walks only what is new');
    const status = await full;
    assert.equal(status.ok, false);
    assert.equal(status.firstBroken?.seq, seq);
    assert.equal(core.audit.current().firstBroken?.seq, seq);
  } finally {
    core.close();
  }
});

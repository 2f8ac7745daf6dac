/**
 * Trust on the screen, through the real host (HTTP and WebSocket on loopback): a paid sale
 * edited in the live ledger file is found by the manager's "check now", which names the first
 * bad row, and every staff connection (the cashier's screen) hears `ledger.audit` with the same
 * row at once; a connection opened later reads it with `ledger.auditStatus` before sign-in.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { AuditStatus } from '../contract';
import { createPosCore } from '../core';
import { startHost } from './server';
import { connectWs } from './ws-client';
import { demoSignIn } from './test-support/staff';
import { underRecordLive } from '../ledger/test-support/tamper';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-host-audit-'));
  dirs.push(dir);
  return dir;
}

test("a tampered ledger: the manager's check names the row and the cashier's screen hears it", async () => {
  const dataDir = tempDir();
  const core = createPosCore({
    dataDir,
    shopName: 'Test Shop',
    terminalId: 'T01',
    timezone: 'Asia/Shanghai',
    defaultLocale: 'zh-CN',
  });
  const rendererDir = tempDir();
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>test</title>');
  const host = await startHost({
    core,
    port: 0,
    rendererDir,
  });
  const url = `ws://127.0.0.1:${host.port}/ws`;
  const till = await connectWs(url, {}, { key: host.secrets.staff });
  const office = await connectWs(url, {}, { key: host.secrets.staff });
  try {
    assert.equal((await till.invoke('ledger.auditStatus', {})).ok, true);
    await till.invoke('auth.signIn', await demoSignIn(till, 'cashier'));
    await till.invoke('shift.open', { floatFen: 0 });
    const sale = await till.invoke('sale.addItem', { sku: 'DRK-001', qty: 1 });
    await till.invoke('sale.pay', { saleId: sale.id, method: 'card', amountFen: sale.totalFen });

    const row = underRecordLive(join(dataDir, 'ledger.db'), sale.id);
    await office.invoke('manager.signIn', { pin: '888888' });
    const checked = await office.invoke('ledger.verify', {});
    assert.equal(checked.ok, false);
    assert.equal(checked.firstBroken?.seq, row);
    assert.match(checked.firstBroken?.reason ?? '', new RegExp(sale.id));

    const heard = till.events
      .filter((e) => e.name === 'ledger.audit')
      .map((e) => e.payload as AuditStatus);
    assert.equal(heard.at(-1)?.firstBroken?.seq, row, "the cashier's screen hears the failure");

    const later = await connectWs(url, {}, { key: host.secrets.staff });
    try {
      assert.equal((await later.invoke('ledger.auditStatus', {})).firstBroken?.seq, row);
    } finally {
      await later.close();
    }
  } finally {
    await till.close();
    await office.close();
    await host.close();
    core.close();
  }
});

/**
 * The takeover over a real serial line: a pseudo-terminal pair (socat), the register's bytes on
 * one end, the core on the other through serialport's native binding, on a real ledger file.
 * Then the line vanishes (socat killed) and comes back: nothing stays payable meanwhile, and the
 * reader picks the line up again by itself.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { PoleDisplayStatus, Sale } from '../../../contract';
import { loadConfig } from '../../config';
import { createPosCore } from '../../core';
import { call, demoStaffId, signInCashier } from '../../test-support/calls';
import { PtyPair } from './test-support/socat';
import { bytes } from './test-support/mock-line';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const ESC = 0x1b;

test('a register on a real pty: its total reaches the till, survives nothing, comes back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pos-pole-'));
  dirs.push(dir);
  const line = new PtyPair(dir);
  await line.up();

  // The seam to amount-only sales (wt-register): here a stand-in that records what the core
  // asked for and opens a sale on the real ledger, so the rest of the till sees a real sale.
  const asked: { amountFen: number; origin: string; operatorId: string }[] = [];
  const core = createPosCore(
    loadConfig(
      [
        '--data-dir',
        join(dir, 'data'),
        '--pole-display',
        line.terminalEnd,
        '--pole-protocol',
        'cd5220',
      ],
      {},
    ),
    undefined,
    {
      startAmountSale: (input): Sale => {
        asked.push(input);
        return core.ledger.addItem({ sku: 'DRK-001' });
      },
      poleReader: { backoffMs: { first: 20, max: 100 }, settleMs: 20, watchMs: 50 },
    },
  );
  const statuses: PoleDisplayStatus[] = [];
  const waiters: (() => void)[] = [];
  core.onEvent((name, payload) => {
    if (name !== 'pole.display') return;
    statuses.push(payload as PoleDisplayStatus);
    waiters.splice(0).forEach((w) => w());
  });
  const until = async (ok: (s: PoleDisplayStatus) => boolean): Promise<PoleDisplayStatus> => {
    for (;;) {
      const now = core.poleDisplay.status();
      if (ok(now)) return now;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };

  try {
    await until((s) => s.connection === 'connected');
    await signInCashier(core);
    line.write(bytes([ESC, 0x40, 0x0c], [ESC, 0x51, 0x41], 'TOTAL', [0x0d]));
    line.write(bytes([ESC, 0x51, 0x42], '¥12.30', [0x0d], [ESC, 0x73, 0x32]));
    const offered = await until((s) => s.payableFen !== null);
    assert.deepEqual(offered.lines, ['TOTAL', '¥12.30']);
    assert.deepEqual(offered.amount, { amountFen: 1230, kind: 'total' });
    assert.equal(offered.payableFen, 1230);

    // The line vanishes: the display blanks, nothing is payable, and it says why.
    await line.down();
    const gone = await until((s) => s.connection === 'disconnected');
    assert.deepEqual([gone.lines, gone.amount, gone.payableFen], [['', ''], null, null]);
    assert.equal((await call(core, 'pole.status', {})).payableFen, null);

    // Back: the reader reopens the port by itself and reads the next total.
    await line.up();
    await until((s) => s.connection === 'connected');
    line.write(bytes([0x0c], [ESC, 0x51, 0x41], '合计 TOTAL 8.80', [0x0d]));
    const again = await until((s) => s.payableFen !== null);
    assert.equal(again.payableFen, 880);

    // Only the cashier's confirm, of the amount they saw, turns it into a sale.
    assert.equal(asked.length, 0, 'nothing moved before the confirm');
    const sale = await call(core, 'pole.confirm', { amountFen: 880 });
    assert.equal(sale.status, 'open');
    assert.deepEqual(asked, [
      { amountFen: 880, origin: 'pole', operatorId: demoStaffId(core, 'cashier') },
    ]);
    assert.equal(core.poleDisplay.status().payableFen, null, 'taken once, not twice');
  } finally {
    await core.shutdown();
    await line.down();
  }
});

/**
 * What the sync tests share: a ledger with a day of trading rung up through the Ledger API
 * (sales with discounts and split tenders, partial and full refunds, cash in and out), a cloud
 * with a paired terminal (PGlite in memory, or PostgreSQL in a schema of its own when
 * DATABASE_URL is set), and the comparison of the two sides' figures to the fen.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { TerminalCredentials } from '../../../cloud/client';
import { startTestCloud, type TestCloud } from '../../../cloud/test-support';
import type { PaymentMethod, Sale } from '../../contract';
import { DEMO_PRODUCTS, Ledger } from '../../ledger';
import { operatorOf, TEST_AUDIT_KEY } from '../../ledger/test-support/helpers';
import { seededRandom } from './fault-proxy';
import { payAny } from '../../ledger/test-support/face-debit';

export interface Shop {
  dir: string;
  file: string;
  ledger: Ledger;
  cleanup(): void;
}

export function openShop(prefix = 'pos-sync-'): Shop {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'ledger.db');
  const ledger = Ledger.open({
    auditKey: TEST_AUDIT_KEY,
    file,
    terminalId: 'T01',
    timezone: 'Asia/Shanghai',
  });
  ledger.upsertProducts([...DEMO_PRODUCTS]);
  return {
    dir,
    file,
    ledger,
    cleanup() {
      ledger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const METHODS: readonly PaymentMethod[] = ['cash', 'face', 'qr', 'card'];

/**
 * Rings up `count` sales (and refunds some of them) with a seeded mix of items, quantities,
 * discounts and tenders. Returns the completed sales.
 */
export function ringUp(ledger: Ledger, count: number, seed = 1): Sale[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const op = operatorOf(ledger);
  if (ledger.currentShift() === null) ledger.openShift(50_000, op);
  const sold: Sale[] = [];
  for (let i = 0; i < count; i++) {
    let sale = ledger.addItem({ sku: pick(DEMO_PRODUCTS).sku, qty: 1 + Math.floor(random() * 3) });
    const lines = Math.floor(random() * 4);
    for (let l = 0; l < lines; l++) {
      sale = ledger.addItem({ sku: pick(DEMO_PRODUCTS).sku, qty: 1 + Math.floor(random() * 2) });
    }
    const first = sale.lines[0];
    if (first !== undefined && random() < 0.2) {
      sale = ledger.setLineDiscount(sale.id, 1, Math.floor(first.grossFen / 10));
    }
    if (random() < 0.1) sale = ledger.setSaleDiscount(sale.id, Math.min(50, sale.dueFen));
    if (random() < 0.2 && sale.dueFen > 1) {
      // Split tender: part by face, the rest in cash with change.
      const part = Math.floor(sale.dueFen / 2);
      sale = payAny(
        ledger,
        sale.id,
        { method: 'face', amountFen: part, reference: `pay-${i}` },
        op,
      );
      sale = payAny(
        ledger,
        sale.id,
        {
          method: 'cash',
          amountFen: sale.dueFen,
          tenderedFen: sale.dueFen + 100,
        },
        op,
      );
    } else {
      const method = pick(METHODS);
      sale = payAny(
        ledger,
        sale.id,
        method === 'cash'
          ? { method, amountFen: sale.dueFen, tenderedFen: Math.ceil(sale.dueFen / 1000) * 1000 }
          : { method, amountFen: sale.dueFen },
        op,
      );
    }
    sold.push(sale);
    if (random() < 0.15) {
      const line = pick(sale.lines);
      ledger.refund(sale.id, [{ lineNo: line.lineNo, qty: 1 }], 'returned', op);
    } else if (random() < 0.05) {
      ledger.refund(sale.id, undefined, 'changed their mind', op);
    }
    if (random() < 0.05) ledger.cashMovement('in', 1_000, 'change float', op);
  }
  return sold;
}

export interface ShopCloud {
  test: TestCloud;
  storeId: string;
  credentials: TerminalCredentials;
  /** The ids of this terminal's events the cloud holds, and how many rows (to see doubles). */
  storedEvents(): Promise<{ ids: Set<string>; rows: number }>;
  close(): Promise<void>;
}

export async function startShopCloud(): Promise<ShopCloud> {
  return shopOn(await startTestCloud({ logger: false }));
}

/**
 * A new store with a paired terminal on a running test cloud (tests that share one cloud: it
 * takes seconds to start). close() closes the cloud.
 */
export async function shopOn(test: TestCloud): Promise<ShopCloud> {
  const client = await test.pairedTerminal();
  const credentials = client.credentials as TerminalCredentials;
  return {
    test,
    storeId: credentials.storeId,
    credentials,
    async storedEvents() {
      const { rows } = await test.cloud.db.query<{ id: string }>(
        'SELECT id FROM events WHERE terminal_id = $1',
        [credentials.terminalId],
      );
      return { ids: new Set(rows.map((r) => r.id)), rows: rows.length };
    },
    close: () => test.close(),
  };
}

/**
 * Every outbox event of the ledger file and which are marked delivered, read on a connection of
 * its own (an oracle independent of the code under test).
 */
export function outboxState(file: string): { all: string[]; delivered: Set<string> } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT id, seq <= (SELECT acked_through FROM outbox_state)
                OR seq IN (SELECT seq FROM outbox_acks) AS delivered
         FROM outbox ORDER BY seq`,
      )
      .all() as { id: string; delivered: number }[];
    return {
      all: rows.map((r) => r.id),
      delivered: new Set(rows.filter((r) => r.delivered === 1).map((r) => r.id)),
    };
  } finally {
    db.close();
  }
}

/**
 * The cloud's store report for `date` equals the ledger's daily report, to the fen: sales,
 * refunds, net, tax (both net of refunded tax) and the net per payment method.
 */
export async function assertSameTotals(shop: Shop, cloud: ShopCloud, date: string): Promise<void> {
  const local = shop.ledger.dailyReport(date).totals;
  const remote = await cloud.test.admin.storeDailyReport(cloud.storeId, date);
  assert.deepEqual(
    {
      salesCount: remote.salesCount,
      salesFen: remote.salesFen,
      refundsCount: remote.refundsCount,
      refundsFen: remote.refundsFen,
      netFen: remote.netFen,
      taxFen: remote.taxFen,
    },
    {
      salesCount: local.salesCount,
      salesFen: local.salesFen,
      refundsCount: local.refundsCount,
      refundsFen: local.refundsFen,
      netFen: local.netFen,
      taxFen: local.taxFen,
    },
    `the cloud's totals for ${date} equal the terminal's`,
  );
  const remoteByMethod = new Map(remote.byMethod.map((m) => [m.method, m.netFen]));
  for (const m of local.byMethod) {
    assert.equal(remoteByMethod.get(m.method) ?? 0, m.amountFen, `${date} ${m.method} net`);
  }
}

/** Polls `check` until it returns true (or throws after `timeoutMs`, saying `what`). */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  everyMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

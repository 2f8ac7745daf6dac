/**
 * Crash safety: a child process sells in a loop (cash and face pay in turn) and is killed with
 * SIGKILL at random moments, many times. After every kill the ledger must open, hold every sale the child saw committed,
 * hold each completed sale whole (lines, payment, outbox events, audit links, consistent
 * totals, the cashier who sold it), hold nothing partial, and verify.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Ledger } from './index';
import { TEST_AUDIT_KEY, tempDir } from './test-support/helpers';

const WRITER = fileURLToPath(new URL('./test-support/crash-writer.ts', import.meta.url));
const KILLS = 25;

/** Runs the writer until `ready`, lets it sell for delayMs, kills it; returns what it reported. */
function runAndKill(file: string, delayMs: number, start: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file, String(start)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (timer === undefined && out.includes('ready\n'))
        timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`writer exited with ${code ?? signal}: ${err}`));
        return;
      }
      resolve(
        out
          .split('\n')
          .filter((l) => l.startsWith('committed '))
          .map((l) => l.slice('committed '.length)),
      );
    });
  });
}

interface Row {
  [k: string]: unknown;
}

function checkWhole(file: string, promised: ReadonlySet<string>): number {
  // Opening runs recovery (WAL) and cart reconciliation, as the app would.
  const ledger = Ledger.open({ auditKey: TEST_AUDIT_KEY, file });
  try {
    const v = ledger.verifyAudit();
    assert.equal(v.ok, true, JSON.stringify(v.firstBroken));
    for (const id of promised) assert.equal(ledger.getSale(id).status, 'completed', id);
  } finally {
    ledger.close();
  }
  const db = new Database(file, { readonly: true });
  try {
    const q = (sql: string) => db.prepare(sql).all() as Row[];
    const sales = q(
      "SELECT id, receipt_seq, total_fen, paid_fen, operator_id FROM sales WHERE status = 'completed'",
    );
    const lines = new Map<string, Row[]>();
    for (const l of q('SELECT sale_id, net_fen FROM sale_lines'))
      lines.set(String(l.sale_id), [...(lines.get(String(l.sale_id)) ?? []), l]);
    const payments = new Map<string, Row[]>();
    const debits = new Map<string, Row>();
    for (const d of q('SELECT payment_id, sale_id, amount_fen, signature FROM face_debits'))
      debits.set(String(d.payment_id), d);
    const staff = new Set(q('SELECT id FROM staff').map((r) => String(r.id)));
    for (const p of q('SELECT sale_id, id, method, amount_fen, operator_id FROM payments'))
      payments.set(String(p.sale_id), [...(payments.get(String(p.sale_id)) ?? []), p]);
    const events = q('SELECT type, payload FROM outbox').map((e) => ({
      type: String(e.type),
      payload: JSON.parse(String(e.payload)) as Record<string, unknown>,
    }));
    const audited = new Set(q('SELECT kind, ref FROM audit').map((a) => `${a.kind} ${a.ref}`));
    const saleIds = new Set(sales.map((s) => String(s.id)));
    const completedEvents = new Set(
      events.filter((e) => e.type === 'sale.completed').map((e) => String(e.payload.id)),
    );
    const paymentEvents = new Set(
      events
        .filter((e) => e.type === 'payment.recorded')
        .map((e) => String((e.payload.payment as { id: string }).id)),
    );

    for (const s of sales) {
      const id = String(s.id);
      const ls = lines.get(id) ?? [];
      const ps = payments.get(id) ?? [];
      assert.equal(ls.length, 3, `sale ${id} has its 3 lines`);
      assert.equal(ps.length, 1, `sale ${id} has its payment`);
      const p = ps[0] as Row;
      assert.ok(
        p.method === 'cash' || p.method === 'face',
        `sale ${id} paid by ${String(p.method)}`,
      );
      if (p.method === 'face') {
        // A face payment is kept with the cloud's signed debit, in the same transaction.
        const debit = debits.get(String(p.id));
        assert.ok(debit !== undefined, `face payment of ${id} has its signed debit`);
        assert.equal(debit.sale_id, id);
        assert.equal(debit.amount_fen, p.amount_fen);
      }
      assert.equal(
        ls.reduce((a, l) => a + Number(l.net_fen), 0),
        s.total_fen,
      );
      assert.equal(p.amount_fen, s.total_fen);
      assert.equal(s.paid_fen, s.total_fen);
      assert.ok(staff.has(String(s.operator_id)), `sale ${id} names who sold it`);
      assert.equal(p.operator_id, s.operator_id, `payment of ${id} names the same cashier`);
      assert.ok(completedEvents.has(id), `sale ${id} has its outbox event`);
      assert.ok(paymentEvents.has(String(p.id)), `payment of ${id} has its outbox event`);
      assert.ok(audited.has(`sale ${id}`) && audited.has(`payment ${id}/${String(p.id)}`));
    }
    // Nothing partial: no payment, line, debit or event without its completed sale.
    for (const d of debits.values()) assert.ok(saleIds.has(String(d.sale_id)), 'debit of a sale');
    const faceSales = sales.filter((s) => payments.get(String(s.id))?.[0]?.method === 'face');
    assert.equal(debits.size, faceSales.length, 'one signed debit per face-paid sale');
    for (const saleId of payments.keys()) assert.ok(saleIds.has(saleId), `payment of ${saleId}`);
    for (const saleId of lines.keys()) assert.ok(saleIds.has(saleId) || isVoided(db, saleId));
    for (const id of completedEvents) assert.ok(saleIds.has(id), `event for ${id}`);
    assert.equal(paymentEvents.size, [...payments.values()].flat().length);
    // Receipt numbers have no gaps.
    const seqs = sales.map((s) => Number(s.receipt_seq)).sort((a, b) => a - b);
    seqs.forEach((n, i) => assert.equal(n, i + 1));
    return sales.length;
  } finally {
    db.close();
  }
}

function isVoided(db: Database.Database, id: string): boolean {
  return db.prepare("SELECT 1 FROM sales WHERE id = ? AND status = 'voided'").get(id) !== undefined;
}

test('killed writers never leave a partial or lost sale', { timeout: 180_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const file = join(dir, 'crash.db');
    const promised = new Set<string>();
    let count = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const delay = 5 + Math.floor(Math.random() * 300);
      const committed = await runAndKill(file, delay, count);
      for (const id of committed) promised.add(id);
      const now = checkWhole(file, promised);
      assert.ok(now >= count, 'no committed sale disappeared');
      count = now;
    }
    assert.ok(promised.size > KILLS, `the writers committed ${promised.size} sales`);
  } finally {
    cleanup();
  }
});

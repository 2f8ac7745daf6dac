/**
 * Ledger benchmarks (`npm run bench -- ledger`).
 *
 * ledger.sale_commit     sales/s: add 3 lines + 1 cash payment that completes the sale (sale,
 *                        lines, payment, 2 outbox events, 2 audit links), synchronous=FULL, on a
 *                        file in the OS temp dir.
 * ledger.fsync_ceiling   bare one-row insert transactions/s on the same file system with the same
 *                        pragmas (WAL, synchronous=FULL): the most commits/s the disk allows.
 * ledger.commit_ratio    sale_commit / fsync_ceiling. 1.0 would mean a whole sale costs no more
 *                        than the cheapest durable commit. The two are measured in alternating
 *                        rounds so that noise from other processes hits both alike.
 * ledger.daily_report_ms / ledger.z_report_ms
 *                        median of 20 (different business days) on a ledger of 1,000,000 sales
 *                        over 365 days. The big ledger is generated once and cached in the temp
 *                        dir (keyed by schema and generator version); Z reports are taken on a
 *                        scratch copy so the cache stays pristine.
 * ledger.range_report_365d_ms
 *                        median of 9 one-year range reports (rangeReport over all 365 days of the
 *                        big ledger, with the previous-period comparison). `... ledger.bench.ts
 *                        range` runs this one alone.
 * ledger.audit_verify_1m_ms
 *                        the full audit chain check (HMAC-SHA256 per link, every money row read
 *                        back) over the big ledger's rows, linked on a scratch copy (the cached
 *                        file carries no links); ledger.audit_start_check_ms: the check at start
 *                        (from the checkpoint, plus the stray-row counts over every table).
 * ledger.pin_check_ms    median of 30 PIN checks (one person's PIN, right and wrong alternating:
 *                        HMAC with the pepper, then scrypt N=2^14 r=8): what each sign-in costs,
 *                        and what each guess costs a thief who has the ledger AND the pepper
 *                        (without the pepper a guess cannot be checked at all). See staff.ts.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { includedTaxFen, type PaymentMethod } from '../main/contract';
import { DEMO_PRODUCTS, LATEST_VERSION, Ledger } from '../main/ledger';
import { cartsPathFor } from '../main/ledger/db';
import { uuidv7 } from '../main/ledger/ids';
import { appendAudit, loadContent, type AuditKind } from '../main/ledger/audit';
import { BusinessClock } from '../main/ledger/clock';
import { Ctx } from '../main/ledger/context';
import { TEST_AUDIT_KEY } from '../main/ledger/test-support/helpers';
import {
  PAYMENTS,
  REFUND_LINES,
  REFUND_PAYMENTS,
  REFUNDS,
  SALE_LINES,
  SALES,
  SHIFT_CLOSES,
  SHIFTS,
  type SaleLineRow,
} from '../main/ledger/rows';
import { emit, median, quantile, round } from './report';

const ROUNDS = 5;
const ROUND_MS = 1500;

function removeDb(file: string): void {
  for (const f of [file, cartsPathFor(file)])
    for (const suffix of ['', '-wal', '-shm']) rmSync(f + suffix, { force: true });
}

// ---------------------------------------------------------------------------------------------
// Commit throughput

interface CommitFigures {
  sales: number[];
  ceiling: number[];
  payMs: number[];
  count: number;
  auditOk: boolean;
}

function measureCommit(dir: string): CommitFigures {
  const ledger = Ledger.open({ auditKey: TEST_AUDIT_KEY, file: join(dir, 'commit.db') });
  ledger.upsertProducts([...DEMO_PRODUCTS]);
  // Every money row names its operator (one indexed lookup per payment, part of the cost).
  const op = ledger.addStaff({ name: 'Bench cashier', role: 'cashier', pin: '1234' }).id;
  ledger.openShift(100_000, op);
  const skus = DEMO_PRODUCTS.map((p) => p.sku);
  let i = 0;
  const payMs: number[] = [];
  const sellFor = (ms: number): number => {
    const end = performance.now() + ms;
    let n = 0;
    while (performance.now() < end) {
      ledger.addItem({ sku: skus[(3 * i) % skus.length] ?? '' });
      ledger.addItem({ sku: skus[(3 * i + 1) % skus.length] ?? '', qty: 2 });
      const sale = ledger.addItem({ sku: skus[(3 * i + 2) % skus.length] ?? '' });
      const t0 = performance.now();
      ledger.pay(sale.id, { method: 'cash', amountFen: sale.totalFen, tenderedFen: 100_000 }, op);
      payMs.push(performance.now() - t0);
      i += 1;
      n += 1;
    }
    return n / (ms / 1000);
  };

  const bare = new Database(join(dir, 'ceiling.db'));
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = FULL');
  bare.pragma('foreign_keys = ON');
  bare.pragma('cache_size = -16384');
  bare.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  const insert = bare.transaction(() => {
    bare.prepare('INSERT INTO t (v) VALUES (?)').run('x');
  });
  const insertFor = (ms: number): number => {
    const end = performance.now() + ms;
    let n = 0;
    while (performance.now() < end) {
      insert.immediate();
      n += 1;
    }
    return n / (ms / 1000);
  };

  sellFor(300); // warm up: statements prepared, files grown
  insertFor(300);
  const sales: number[] = [];
  const ceiling: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    sales.push(sellFor(ROUND_MS));
    ceiling.push(insertFor(ROUND_MS));
  }
  const auditOk = ledger.verifyAudit().ok;
  ledger.close();
  bare.close();
  return { sales, ceiling, payMs, count: i, auditOk };
}

function withDir<T>(parent: string, fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(parent, 'ledger-bench-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function commitBench(): void {
  const f = withDir(tmpdir(), measureCommit);
  const s = median(f.sales);
  const c = median(f.ceiling);
  emit({
    name: 'ledger.sale_commit',
    value: round(s, 1),
    unit: 'sales/s',
    rounds: f.sales.map((x) => round(x, 1)),
    pay_p50_ms: round(median(f.payMs)),
    pay_p99_ms: round(quantile(f.payMs, 0.99)),
    sales: f.count,
    audit_ok: f.auditOk,
  });
  emit({
    name: 'ledger.fsync_ceiling',
    value: round(c, 1),
    unit: 'tx/s',
    rounds: f.ceiling.map((x) => round(x, 1)),
  });
  emit({ name: 'ledger.commit_ratio', value: round(s / c), unit: 'ratio', target: 0.9 });

  // To read the ratio: the same run on tmpfs, where fsync is free, gives the CPU cost of a sale
  // (3 cart writes + the commit) and of a bare commit. On a disk whose fsync takes F ms, the
  // ratio is about (F + bare) / (F + sale + the extra flush of a sale's ~13 WAL pages).
  if (existsSync('/dev/shm')) {
    const m = withDir('/dev/shm', measureCommit);
    emit({
      name: 'ledger.sale_cpu_ms',
      value: round(1000 / median(m.sales)),
      unit: 'ms',
      bare_commit_cpu_ms: round(1000 / median(m.ceiling)),
      fsync_ms: round(1000 / c - 1000 / median(m.ceiling)),
      note: 'same benchmark on tmpfs (/dev/shm): everything but the fsync',
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The big ledger: 1,000,000 completed sales over 365 days

/** LEDGER_BENCH_SALES: a smaller ledger for a quick try of the benchmark itself. */
const BIG_SALES = Number(process.env.LEDGER_BENCH_SALES ?? 1_000_000);
const BIG_DAYS = 365;
/** Bump when the generated data changes, so stale caches are not reused. */
const GENERATOR_VERSION = 2;
/** Day 0 is 2024-01-01 in Asia/Shanghai (UTC+8, no DST). */
const DAY0_UTC_MS = Date.UTC(2024, 0, 1) - 8 * 3600_000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function dateOf(day: number): string {
  return new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10);
}

/** Trading hours 08-22 local, busier at lunch and in the evening. */
const HOUR_WEIGHTS = [3, 5, 6, 8, 12, 10, 7, 6, 7, 9, 11, 12, 9, 6];

/**
 * Writes the big ledger with plain INSERTs into the real schema (created by Ledger.open, so
 * migrations are the same), in one transaction per day with synchronous OFF: generation speed
 * only. The synthetic rows carry no audit links or outbox events (reports read neither), so
 * verifyAudit() on this file reports the first unlinked row.
 */
function generateBigLedger(file: string): void {
  const started = performance.now();
  const building = `${file}.building`;
  removeDb(building);
  const ledger = Ledger.open({
    auditKey: TEST_AUDIT_KEY,
    file: building,
    now: () => new Date(DAY0_UTC_MS),
  });
  ledger.upsertProducts([...DEMO_PRODUCTS]);
  // Money rows name their operator (the schema refuses one that does not).
  const operator = ledger.addStaff({ name: 'Bench cashier', role: 'cashier', pin: '1234' }).id;
  ledger.close();

  const db = new Database(building);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const stmt = (sql: string) => db.prepare(sql);
  const ins = {
    sale: stmt(SALES.insertSql),
    line: stmt(SALE_LINES.insertSql),
    payment: stmt(PAYMENTS.insertSql),
    shift: stmt(SHIFTS.insertSql),
    close: stmt(SHIFT_CLOSES.insertSql),
    refund: stmt(REFUNDS.insertSql),
    refundLine: stmt(REFUND_LINES.insertSql),
    refundPayment: stmt(REFUND_PAYMENTS.insertSql),
  };
  const rand = mulberry32(20240101);
  const methods: PaymentMethod[] = [
    'face',
    'face',
    'face',
    'qr',
    'qr',
    'qr',
    'cash',
    'cash',
    'card',
  ];
  const weightSum = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
  let receipt = 0;

  for (let day = 0; day < BIG_DAYS; day++) {
    const date = dateOf(day);
    const count =
      Math.floor((BIG_SALES * (day + 1)) / BIG_DAYS) - Math.floor((BIG_SALES * day) / BIG_DAYS);
    const dayStart = DAY0_UTC_MS + day * 86_400_000;
    // Sale instants for the day, sorted, spread over trading hours by weight.
    const times: number[] = [];
    for (let k = 0; k < count; k++) {
      let pick = rand() * weightSum;
      let h = 0;
      while (h < HOUR_WEIGHTS.length - 1 && pick >= (HOUR_WEIGHTS[h] ?? 0)) {
        pick -= HOUR_WEIGHTS[h] ?? 0;
        h += 1;
      }
      times.push(dayStart + (8 + h) * 3_600_000 + Math.floor(rand() * 3_600_000));
    }
    times.sort((a, b) => a - b);

    db.transaction(() => {
      const openedAt = new Date(dayStart + 8 * 3_600_000 - 60_000);
      const shiftId = uuidv7(openedAt.getTime());
      ins.shift.run({
        id: shiftId,
        terminal_id: 'T01',
        opened_at: openedAt.toISOString(),
        business_date: date,
        float_fen: 50_000,
        operator_id: operator,
      });
      let cashSales = 0;
      let cashRefunds = 0;
      for (const ms of times) {
        const closedAt = new Date(ms).toISOString();
        const saleId = uuidv7(ms - 60_000);
        receipt += 1;
        const lines: SaleLineRow[] = [];
        const first = Math.floor(rand() * DEMO_PRODUCTS.length);
        for (let n = 0; n < 3; n++) {
          const p = DEMO_PRODUCTS[(first + n * 17) % DEMO_PRODUCTS.length];
          if (!p) continue;
          const qty = 1 + Math.floor(rand() * rand() * 4);
          const gross = qty * p.priceFen;
          lines.push({
            sale_id: saleId,
            line_no: n + 1,
            sku: p.sku,
            barcode: p.barcode,
            name_zh: p.nameZh,
            name_en: p.nameEn,
            qty,
            unit_price_fen: p.priceFen,
            tax_rate_bp: p.taxRateBp,
            gross_fen: gross,
            line_discount_fen: 0,
            sale_discount_share_fen: 0,
            net_fen: gross,
            tax_fen: includedTaxFen(gross, p.taxRateBp),
          });
        }
        const total = lines.reduce((a, l) => a + l.net_fen, 0);
        const method = methods[Math.floor(rand() * methods.length)] ?? 'face';
        const tendered = method === 'cash' ? Math.ceil(total / 10_000) * 10_000 : null;
        const hour = Math.floor((ms - dayStart) / 3_600_000);
        ins.sale.run({
          id: saleId,
          terminal_id: 'T01',
          status: 'completed',
          receipt_seq: receipt,
          receipt_no: `T01-${String(receipt).padStart(6, '0')}`,
          shift_id: shiftId,
          opened_at: new Date(ms - 60_000).toISOString(),
          closed_at: closedAt,
          business_date: date,
          hour,
          subtotal_fen: total,
          line_discount_fen: 0,
          sale_discount_fen: 0,
          total_fen: total,
          tax_fen: lines.reduce((a, l) => a + l.tax_fen, 0),
          paid_fen: total,
          change_fen: tendered === null ? 0 : tendered - total,
          operator_id: operator,
        });
        for (const l of lines) ins.line.run(l);
        const paymentId = uuidv7(ms);
        ins.payment.run({
          sale_id: saleId,
          id: paymentId,
          shift_id: shiftId,
          method,
          amount_fen: total,
          tendered_fen: tendered,
          change_fen: tendered === null ? 0 : tendered - total,
          reference: null,
          created_at: closedAt,
          operator_id: operator,
        });
        if (method === 'cash') cashSales += total;
        // About 1 % of sales get their first line refunded a little later the same day.
        const line = lines[0];
        if (line && rand() < 0.01 && hour < 13) {
          const at = ms + 3_600_000;
          const refundId = uuidv7(at);
          ins.refund.run({
            id: refundId,
            sale_id: saleId,
            shift_id: shiftId,
            reason: 'customer return',
            amount_fen: line.net_fen,
            tax_fen: line.tax_fen,
            created_at: new Date(at).toISOString(),
            business_date: date,
            hour: hour + 1 + 8 < 24 ? hour + 1 : hour,
            operator_id: operator,
          });
          ins.refundLine.run({
            refund_id: refundId,
            line_no: 1,
            qty: line.qty,
            amount_fen: line.net_fen,
            tax_fen: line.tax_fen,
          });
          if (line.net_fen > 0)
            ins.refundPayment.run({
              refund_id: refundId,
              payment_id: paymentId,
              method,
              amount_fen: line.net_fen,
            });
          if (method === 'cash') cashRefunds += line.net_fen;
        }
      }
      const expected = 50_000 + cashSales - cashRefunds;
      ins.close.run({
        shift_id: shiftId,
        closed_at: new Date(dayStart + 22 * 3_600_000 + 60_000).toISOString(),
        cash_sales_fen: cashSales,
        cash_refunds_fen: cashRefunds,
        cash_in_fen: 0,
        cash_out_fen: 0,
        expected_fen: expected,
        counted_fen: expected,
        variance_fen: 0,
        operator_id: operator,
      });
    })();
  }
  db.exec('ANALYZE');
  db.pragma('journal_mode = WAL');
  db.close();
  removeDb(file);
  renameSync(building, file);
  if (existsSync(cartsPathFor(building))) renameSync(cartsPathFor(building), cartsPathFor(file));
  process.stderr.write(
    `# generated ${BIG_SALES} sales in ${round((performance.now() - started) / 1000, 1)} s: ${file}\n`,
  );
}

/** The cached big ledger, generated on first use. */
function bigLedgerFile(): string {
  const file = join(
    tmpdir(),
    `facepay-ledger-bench-s${LATEST_VERSION}-g${GENERATOR_VERSION}-${BIG_SALES}.db`,
  );
  if (!existsSync(file)) generateBigLedger(file);
  else process.stderr.write(`# reusing ${file}\n`);
  return file;
}

/**
 * A year's report (the whole big ledger: 365 business days, every sale) with its comparison
 * period (the year before, empty here but queried all the same), 9 times on one open ledger:
 * the median is what a manager waits for on the second look, the first (cold) is reported too.
 */
function rangeBench(file: string): void {
  const ledger = Ledger.open({
    auditKey: TEST_AUDIT_KEY,
    file,
    now: () => new Date(DAY0_UTC_MS + (BIG_DAYS + 5) * 86_400_000),
  });
  const request = { from: dateOf(0), to: dateOf(BIG_DAYS - 1) };
  const ms: number[] = [];
  let sales = 0;
  for (let k = 0; k < 9; k++) {
    const t0 = performance.now();
    const r = ledger.rangeReport(request);
    ms.push(performance.now() - t0);
    sales = r.totals.salesCount;
  }
  ledger.close();
  emit({
    name: 'ledger.range_report_365d_ms',
    value: round(median(ms)),
    unit: 'ms',
    first_ms: round(ms[0] ?? 0),
    max_ms: round(Math.max(...ms)),
    sales_in_range: sales,
    ledger_sales: BIG_SALES,
    target: 100,
  });
}

function reportBench(): void {
  const file = bigLedgerFile();

  const after = () => new Date(DAY0_UTC_MS + (BIG_DAYS + 5) * 86_400_000);
  const rand = mulberry32(7);
  // 20 distinct days, drawn at random (a report is read once per day, as a manager would).
  const days = new Set<number>();
  while (days.size < 20) days.add(Math.floor(rand() * BIG_DAYS));
  const dates = [...days].map(dateOf);

  const ledger = Ledger.open({ auditKey: TEST_AUDIT_KEY, file, now: after });
  const dailyMs: number[] = [];
  let salesSeen = 0;
  for (const date of dates) {
    const t0 = performance.now();
    const r = ledger.dailyReport(date);
    dailyMs.push(performance.now() - t0);
    salesSeen += r.totals.salesCount;
  }
  ledger.close();
  emit({
    name: 'ledger.daily_report_ms',
    value: round(median(dailyMs)),
    unit: 'ms',
    max_ms: round(Math.max(...dailyMs)),
    sales_per_day: Math.round(salesSeen / dates.length),
    ledger_sales: BIG_SALES,
    target: 50,
  });

  // Z reports write, so take them on a scratch copy, on 20 different (distinct) days.
  const scratchDir = mkdtempSync(join(tmpdir(), 'ledger-bench-z-'));
  try {
    const copy = join(scratchDir, 'z.db');
    copyFileSync(file, copy);
    const zLedger = Ledger.open({ auditKey: TEST_AUDIT_KEY, file: copy, now: after });
    const zMs: number[] = [];
    for (let k = 0; k < 20; k++) {
      const t0 = performance.now();
      zLedger.takeZReport(dateOf(k * 18));
      zMs.push(performance.now() - t0);
    }
    zLedger.close();
    emit({
      name: 'ledger.z_report_ms',
      value: round(median(zMs)),
      unit: 'ms',
      max_ms: round(Math.max(...zMs)),
      ledger_sales: BIG_SALES,
    });
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
}

/** The money tables and the ref of each row's link, as main/ledger/audit.ts covers them. */
const LINKED: readonly { kind: AuditKind; table: string; ref: string; at: string }[] = [
  { kind: 'shift_open', table: 'shifts', ref: 'id', at: 'opened_at' },
  { kind: 'payment', table: 'payments', ref: "sale_id || '/' || id", at: 'created_at' },
  { kind: 'sale', table: 'sales', ref: 'id', at: 'closed_at' },
  { kind: 'refund', table: 'refunds', ref: 'id', at: 'created_at' },
  { kind: 'cash', table: 'cash_movements', ref: 'id', at: 'created_at' },
  { kind: 'shift_close', table: 'shift_closes', ref: 'shift_id', at: 'closed_at' },
  { kind: 'z', table: 'z_reports', ref: 'CAST(number AS TEXT)', at: 'created_at' },
];

function auditBench(big: string): void {
  const scratchDir = mkdtempSync(join(tmpdir(), 'ledger-bench-audit-'));
  try {
    const file = join(scratchDir, 'audit.db');
    copyFileSync(big, file);
    // Link every money row, as the till would have while selling (one transaction, no fsync).
    const db = new Database(file);
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    const ctx = new Ctx(
      db,
      'T01',
      new BusinessClock('Asia/Shanghai'),
      () => new Date(),
      LATEST_VERSION,
    );
    ctx.auditKey = TEST_AUDIT_KEY;
    let links = 0;
    db.transaction(() => {
      for (const t of LINKED) {
        const rows = db.prepare(`SELECT ${t.ref} AS ref, ${t.at} AS at FROM ${t.table}`).all() as {
          ref: string;
          at: string;
        }[];
        for (const r of rows) {
          appendAudit(ctx, t.kind, r.ref, loadContent(ctx, t.kind, r.ref) ?? '', r.at);
          links += 1;
        }
      }
    })();
    db.close();

    const ledger = Ledger.open({ auditKey: TEST_AUDIT_KEY, file });
    try {
      const t0 = performance.now();
      const full = ledger.verifyAudit();
      const fullMs = performance.now() - t0;
      const t1 = performance.now();
      const start = ledger.verifyAudit({ incremental: true });
      const startMs = performance.now() - t1;
      emit({
        name: 'ledger.audit_verify_1m_ms',
        value: Math.round(fullMs),
        unit: 'ms',
        links,
        ok: full.ok,
        rows_per_s: Math.round(links / (fullMs / 1000)),
        note: 'full check at start would hold the till this long: it runs in slices in the background',
      });
      emit({
        name: 'ledger.audit_start_check_ms',
        value: round(startMs),
        unit: 'ms',
        links_walked: start.checked,
        ok: start.ok,
      });
    } finally {
      ledger.close();
    }
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// PIN checks

function pinBench(): void {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-pin-'));
  try {
    const ledger = Ledger.open({
      file: join(dir, 'pin.db'),
      auditKey: TEST_AUDIT_KEY,
      pinPepper: randomBytes(32),
    });
    const person = ledger.addStaff({ name: 'Bench', role: 'manager', pin: '246813' });
    const ms: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      try {
        // Alternate right and wrong so the count never reaches a lockout.
        ledger.verifyStaffPin(person.id, i % 2 === 0 ? '246813' : '135792');
      } catch {
        // a wrong PIN: refused, as it should be
      }
      ms.push(performance.now() - t0);
    }
    ledger.close();
    const median_ms = median(ms);
    emit({
      name: 'ledger.pin_check_ms',
      value: round(median_ms, 1),
      unit: 'ms',
      max_ms: round(Math.max(...ms), 1),
      // One core trying every 6-digit PIN, given the pepper too.
      six_digit_exhaust_hours: round((1e6 * median_ms) / 3_600_000, 1),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const only = process.argv[2];
if (only === 'pin') {
  pinBench();
} else if (only === 'range') {
  rangeBench(bigLedgerFile());
} else {
  if (!process.env.LEDGER_BENCH_SALES) commitBench();
  reportBench();
  rangeBench(bigLedgerFile());
  auditBench(
    join(tmpdir(), `facepay-ledger-bench-s${LATEST_VERSION}-g${GENERATOR_VERSION}-${BIG_SALES}.db`),
  );
  pinBench();
}

/**
 * The attacker of the audit tests: edits a closed ledger file behind its triggers and
 * recomputes the audit chain so that every link agrees with the rows as they now are.
 */
import { createHash, createHmac } from 'node:crypto';
import Database from 'better-sqlite3';
import { loadContent } from '../audit';
import { BusinessClock } from '../clock';
import { Ctx } from '../context';
import { LATEST_VERSION } from '../migrations';

export type Mac = (text: string) => string;
export const unkeyed: Mac = (text) => createHash('sha256').update(text).digest('hex');
export const keyedWith =
  (key: Buffer): Mac =>
  (text) =>
    createHmac('sha256', key).update(text).digest('hex');

/**
 * The attacker: with the till closed, drops the protective triggers, runs `sql`, then
 * recomputes every audit link from `fromSeq` on with `mac` over the stored content, so each
 * link's prev_hash and hash agree with the rows as they now are.
 */
export function tamperAndRechain(file: string, sql: string, mac: Mac, fromSeq = 1): void {
  const raw = new Database(file);
  try {
    for (const { name } of raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
      .all() as { name: string }[])
      raw.exec(`DROP TRIGGER ${name}`);
    raw.exec(sql);
    const ctx = new Ctx(
      raw,
      'T01',
      new BusinessClock('Asia/Shanghai'),
      () => new Date(),
      LATEST_VERSION,
    );
    const rows = raw.prepare('SELECT seq, kind, ref FROM audit ORDER BY seq').all() as {
      seq: number;
      kind: string;
      ref: string;
    }[];
    let prev = '0'.repeat(64);
    for (const r of rows) {
      if (r.seq >= fromSeq) {
        const body = loadContent(ctx, r.kind, r.ref) ?? '';
        const hash = mac(`${r.seq}\n${r.kind}\n${r.ref}\n${prev}\n${body}`);
        raw
          .prepare('UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?')
          .run(prev, hash, r.seq);
        prev = hash;
      } else {
        prev = (raw.prepare('SELECT hash FROM audit WHERE seq = ?').get(r.seq) as { hash: string })
          .hash;
      }
    }
  } finally {
    raw.close();
  }
}

/**
 * The fraud on a live ledger file (WAL: the till keeps running): a paid sale under-recorded by
 * 1 yuan, its lines, totals and payment kept consistent, the chain left as it was. Returns the
 * first audit row it breaks.
 */
export function underRecordLive(file: string, saleId: string): number {
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    for (const { name } of db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
      .all() as { name: string }[])
      db.exec(`DROP TRIGGER ${name}`);
    db.exec(`
      UPDATE sale_lines SET unit_price_fen = unit_price_fen - 100, gross_fen = gross_fen - 100,
        net_fen = net_fen - 100 WHERE sale_id = '${saleId}';
      UPDATE sales SET subtotal_fen = subtotal_fen - 100, total_fen = total_fen - 100,
        paid_fen = paid_fen - 100 WHERE id = '${saleId}';
      UPDATE payments SET amount_fen = amount_fen - 100 WHERE sale_id = '${saleId}';`);
    return (
      db.prepare('SELECT min(seq) AS seq FROM audit WHERE ref LIKE ?').get(`${saleId}/%`) as {
        seq: number;
      }
    ).seq;
  } finally {
    db.close();
  }
}

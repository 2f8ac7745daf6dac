/** Shared by the ledger tests: a ledger on a real file in a fresh temp dir, and a test clock. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { PosError, type ErrorCode } from '../../contract';
import { Ledger, seedDemoCatalog, type LedgerOptions } from '../index';

/**
 * The audit key tests and benchmarks open their ledgers with (the core takes a random one from
 * its secret store). Fixed, so a test can reopen a file, or a child process open it, with it.
 */
export const TEST_AUDIT_KEY: Buffer = Buffer.alloc(32, 0x5a);

/** A clock that stands still until moved. */
export class TestClock {
  private ms: number;
  constructor(iso = '2025-03-14T02:00:00.000Z') {
    this.ms = Date.parse(iso);
  }
  now = (): Date => new Date(this.ms);
  set(iso: string): void {
    this.ms = Date.parse(iso);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Someone to record on money rows (every sale, payment, refund and shift names its operator):
 * the first active member of staff, or a test cashier added for the purpose (PIN 5555, which
 * the demo staff do not use).
 */
export function operatorOf(ledger: Ledger): string {
  const existing = ledger.listStaff()[0];
  if (existing) return existing.id;
  return ledger.addStaff({ name: 'Test cashier', role: 'cashier', pin: TEST_CASHIER_PIN }).id;
}

export const TEST_CASHIER_PIN = '5555';

/** The tests' PIN pepper (the terminal's comes from its secret store). */
export const TEST_PIN_PEPPER = Buffer.alloc(32, 7);

export interface TestLedger {
  ledger: Ledger;
  file: string;
  clock: TestClock;
  /** The operator the test records its sales for (see operatorOf; added on first use). */
  readonly op: string;
  reopen(options?: Partial<LedgerOptions>): Ledger;
  cleanup(): void;
}

/** A ledger with the demo catalogue; pass `seed: false` for an empty one. */
export function openTestLedger(
  options: Partial<LedgerOptions> & { seed?: boolean } = {},
): TestLedger {
  const { dir, cleanup } = tempDir();
  const file = join(dir, 'ledger.db');
  const clock = new TestClock();
  const t: TestLedger = {
    ledger: Ledger.open({
      auditKey: TEST_AUDIT_KEY,
      file,
      now: clock.now,
      pinPepper: TEST_PIN_PEPPER,
      ...options,
    }),
    file,
    clock,
    get op() {
      return operatorOf(t.ledger);
    },
    reopen(more = {}) {
      t.ledger.close();
      t.ledger = Ledger.open({
        auditKey: TEST_AUDIT_KEY,
        file,
        now: clock.now,
        pinPepper: TEST_PIN_PEPPER,
        ...options,
        ...more,
      });
      return t.ledger;
    },
    cleanup() {
      t.ledger.close();
      cleanup();
    },
  };
  if (options.seed !== false) seedDemoCatalog(t.ledger);
  return t;
}

/** Asserts that fn throws a PosError with this code (and returns it). */
export function throwsCode(fn: () => unknown, code: ErrorCode, message?: RegExp): PosError {
  try {
    fn();
  } catch (error) {
    assert.ok(PosError.is(error), `expected a PosError ${code}, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return error;
  }
  assert.fail(`expected ${code}, nothing was thrown`);
}

/** A small deterministic PRNG (mulberry32) for property-style tests. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

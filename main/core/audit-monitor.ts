/**
 * Keeps watch over the ledger's audit chain (main/ledger/audit.ts) so that a tampered ledger is
 * found without anyone pressing a button:
 *
 * - at start, before the screens open: the switch-over record and the links added since the
 *   last good check (the checkpoint); milliseconds on any ledger;
 * - a full check in the background `fullCheckDelayMs` after start and then every day, in slices
 *   of `sliceRows` rows with the event loop free between them (a 1,000,000-row chain takes
 *   seconds; the till keeps selling meanwhile);
 * - "check now" on the manager's screen: a full check, answered when done;
 * - the cloud's comparison of its anchors at each sync (main/sync/engine.ts): a mismatch means
 *   the ledger was rewritten (even with the key), and it stays until the cloud says otherwise.
 *
 * Every result is kept in the ledger (last check, first bad row) and sent to the screens as the
 * `ledger.audit` event; a failure also writes the outbox event `audit.failed`, once per distinct
 * failure (the same break found every day is reported once).
 */
import { auditStatus, type AuditStatus, type AuditVerification } from '../contract';
import type { Ledger } from '../ledger';
import type { Logger } from './logger';

/** The cloud's answer about the chain head the sync worker sent (main/sync/messages.ts). */
export interface AnchorResult {
  status: 'ok' | 'mismatch';
  /** The seq of the anchor the cloud holds for this till. */
  heldSeq: number;
  /** On a mismatch: the seq where the till's chain and the cloud's anchor disagree. */
  seq?: number;
  reason?: string;
}

export interface AuditMonitorOptions {
  ledger: Ledger;
  logger: Logger;
  emit(status: AuditStatus): void;
  now?: () => Date;
  /** The background full check after start (ms); then every `dailyMs`. */
  fullCheckDelayMs?: number;
  dailyMs?: number;
  /** Rows verified per slice of a background check. */
  sliceRows?: number;
}

const NEVER: AuditStatus = {
  ok: true,
  checked: 0,
  firstBroken: null,
  checkedAt: null,
  scope: null,
  running: false,
};

export class AuditMonitor {
  private status: AuditStatus;
  private full: Promise<AuditStatus> | null = null;
  private closed = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly now: () => Date;

  constructor(private readonly options: AuditMonitorOptions) {
    this.now = options.now ?? (() => new Date());
    const stored = options.ledger.auditRecord().lastCheck;
    const parsed = stored === null ? null : auditStatus.safeParse(JSON.parse(stored));
    this.status = parsed?.success ? { ...parsed.data, running: false } : NEVER;
  }

  /** The start check (synchronous: its result is there when the screens first ask) and timers. */
  start(): AuditStatus {
    this.settle(this.options.ledger.verifyAudit({ incremental: true }), 'start');
    const daily = this.options.dailyMs ?? 86_400_000;
    const first = setTimeout(() => {
      void this.checkFull();
      const every = setInterval(() => void this.checkFull(), daily);
      every.unref();
      this.timers.push(every);
    }, this.options.fullCheckDelayMs ?? 60_000);
    first.unref();
    this.timers.push(first);
    return this.status;
  }

  current(): AuditStatus {
    return this.status;
  }

  /** A full check in slices; one at a time (a second caller gets the running one's result). */
  checkFull(): Promise<AuditStatus> {
    this.full ??= this.runFull().finally(() => {
      this.full = null;
    });
    return this.full;
  }

  /** The sync worker's report of the cloud's answer about the anchors. */
  reportAnchor(result: AnchorResult): void {
    if (this.closed) return;
    if (result.status === 'mismatch') {
      const seq = result.seq ?? result.heldSeq;
      this.settle(
        {
          ok: false,
          checked: 0,
          firstBroken: {
            seq,
            kind: 'anchor',
            reason:
              result.reason ??
              `the ledger differs from the chain head the cloud holds at row ${seq}`,
          },
        },
        'cloud',
      );
    } else if (this.status.scope === 'cloud' && !this.status.ok) {
      // The cloud holds the chain as it is again (its operator cleared the flag): stand down.
      this.settle({ ok: true, checked: 0, firstBroken: null }, 'cloud');
    }
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
  }

  private async runFull(): Promise<AuditStatus> {
    this.status = { ...this.status, running: true };
    this.options.emit(this.status);
    const check = this.options.ledger.startAuditCheck(false);
    // About 10 ms of the event loop per slice on an idle till (70 ms at a load of 14 on 2 cores).
    const slice = this.options.sliceRows ?? 1_000;
    for (;;) {
      if (this.closed) return this.status;
      const result = check.step(slice);
      if (result !== null) return this.settle(result, 'full');
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private settle(result: AuditVerification, scope: NonNullable<AuditStatus['scope']>): AuditStatus {
    let next: AuditStatus = {
      ...result,
      checkedAt: this.now().toISOString(),
      scope,
      running: this.full !== null && scope !== 'full',
    };
    // A local check that holds does not clear the cloud's finding: a ledger rewritten with the
    // key verifies locally; only the cloud can tell.
    if (result.ok && scope !== 'cloud' && this.status.scope === 'cloud' && !this.status.ok)
      next = { ...this.status, running: next.running };
    const broken = next.ok ? null : next.firstBroken;
    const reported = this.options.ledger.recordAuditCheck(
      JSON.stringify({ ...next, running: false }),
      broken === null
        ? undefined
        : {
            // The start, full and manual checks finding the same break are one failure.
            key: `${next.scope === 'cloud' ? 'cloud' : 'local'}:${broken.seq}:${broken.kind}:${broken.reason}`,
            payload: {
              scope: next.scope,
              seq: broken.seq,
              kind: broken.kind,
              reason: broken.reason,
              checkedAt: next.checkedAt,
            },
          },
    );
    if (broken !== null && reported)
      this.options.logger.error('the audit chain check failed', {
        scope: next.scope,
        seq: broken.seq,
        kind: broken.kind,
        reason: broken.reason,
      });
    this.status = next;
    this.options.emit(next);
    return next;
  }
}

/**
 * What the core keeps in memory for the terminal beside the ledger: who is signed in at the
 * till (a restart signs everyone out) and the sync worker's last report. The pending count of
 * the sync status is always read from the ledger (outbox, wallet credits), so it cannot drift.
 */
import type { Staff, SyncStatus } from '../contract';
import type { Ledger } from '../ledger';

export class TerminalState {
  operator: Staff | null = null;
  private sync: Pick<SyncStatus, 'state' | 'lastSuccessAt'> = {
    // No sync worker has reported yet: events wait in the outbox.
    state: 'offline',
    lastSuccessAt: null,
  };

  constructor(private readonly ledger: Ledger) {}

  syncStatus(): SyncStatus {
    return {
      ...this.sync,
      pendingEvents: this.ledger.pendingOutboxCount(),
      pendingWalletCredits: this.ledger.pendingWalletCreditCount(),
    };
  }

  reportSync(update: Partial<Pick<SyncStatus, 'state' | 'lastSuccessAt'>>): void {
    this.sync = { ...this.sync, ...update };
  }
}

/**
 * Manager sessions, one per caller at most. A manager's PIN opens one on the caller that
 * entered it; it ends when that caller signs out, when the caller goes away (the socket closes,
 * the window is destroyed), or after idleMs without a manager-only request. Looking at a
 * session (manager.current) does not keep it alive: only the manager's own work does.
 *
 * Kept in memory on purpose: a restart of the terminal ends every session.
 */
import { MANAGER_IDLE_MS, type ManagerSession, type Staff } from '../contract';

interface Entry {
  manager: Staff;
  lastUsedMs: number;
}

export class ManagerSessions {
  private readonly sessions = new Map<string, Entry>();

  constructor(
    /** Milliseconds since the epoch; tests move it. */
    private readonly now: () => number = Date.now,
    readonly idleMs: number = MANAGER_IDLE_MS,
  ) {}

  open(callerId: string, manager: Staff): ManagerSession {
    const entry = { manager, lastUsedMs: this.now() };
    this.sessions.set(callerId, entry);
    return this.view(entry);
  }

  /** The caller's manager, marking the session used; null if it has none (or it just expired). */
  use(callerId: string): Staff | null {
    const entry = this.live(callerId);
    if (entry === null) return null;
    entry.lastUsedMs = this.now();
    return entry.manager;
  }

  /** The caller's session as it stands, without marking it used. */
  peek(callerId: string): ManagerSession | null {
    const entry = this.live(callerId);
    return entry === null ? null : this.view(entry);
  }

  end(callerId: string): void {
    this.sessions.delete(callerId);
  }

  /**
   * Someone's record changed: a session of theirs follows the new name, and ends if they are no
   * longer an active manager (disabled, or no longer a manager), whichever screen it is on.
   */
  staffChanged(person: Staff, stillManager: boolean): void {
    for (const [callerId, entry] of this.sessions) {
      if (entry.manager.id !== person.id) continue;
      if (stillManager) entry.manager = person;
      else this.sessions.delete(callerId);
    }
  }

  /** How many sessions are open (expired ones are dropped as they are found). */
  get size(): number {
    for (const id of [...this.sessions.keys()]) this.live(id);
    return this.sessions.size;
  }

  private live(callerId: string): Entry | null {
    const entry = this.sessions.get(callerId);
    if (entry === undefined) return null;
    if (this.now() - entry.lastUsedMs >= this.idleMs) {
      this.sessions.delete(callerId);
      return null;
    }
    return entry;
  }

  private view(entry: Entry): ManagerSession {
    return {
      manager: entry.manager,
      idleMs: this.idleMs,
      expiresAt: new Date(entry.lastUsedMs + this.idleMs).toISOString(),
    };
  }
}

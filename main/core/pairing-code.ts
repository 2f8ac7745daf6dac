/**
 * A one-time pairing code, as remote displays and registers pair with it: 8 digits, one use,
 * valid PAIRING_CODE_MS, and burnt after MAX_WRONG_TRIES wrong guesses counted across all
 * guessers (a guesser can change address): an attacker gets at most 5 tries in 10^8 per code a
 * manager makes. A new code replaces the one in force.
 */
import { randomInt } from 'node:crypto';
import { PosError, type PairingCode } from '../contract';
import type { Logger } from './logger';

export const PAIRING_CODE_MS = 10 * 60_000;
export const MAX_WRONG_TRIES = 5;
const MAX_NAME = 60;

/** A paired device's name as the manager's screen lists it: no control characters, 60 at most. */
export function cleanDeviceName(name: string): string {
  return name
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .slice(0, MAX_NAME);
}

export class OneTimePairingCode {
  private code: { value: string; expiresAt: number; wrong: number } | null = null;

  /** `what`: who pairs, for the log; `where`: where a new code is shown, for the refusal. */
  constructor(
    private readonly now: () => number,
    private readonly logger: Logger,
    private readonly what: string,
    private readonly where: string,
  ) {}

  issue(): PairingCode {
    const value = String(randomInt(0, 100_000_000)).padStart(8, '0');
    const expiresAt = this.now() + PAIRING_CODE_MS;
    this.code = { value, expiresAt, wrong: 0 };
    return { code: value, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Uses the code up if `code` is it; otherwise FORBIDDEN (and a wrong guess counts). */
  redeem(code: string): void {
    const current = this.code;
    if (current === null || this.now() > current.expiresAt) {
      this.code = null;
      throw new PosError(
        'FORBIDDEN',
        `no pairing code is in force: ask for a new one ${this.where}`,
      );
    }
    if (code !== current.value) {
      current.wrong += 1;
      if (current.wrong >= MAX_WRONG_TRIES) {
        this.code = null;
        this.logger.warn(`${this.what} pairing: a code was burnt by wrong guesses`);
      }
      throw new PosError('FORBIDDEN', 'wrong pairing code');
    }
    this.code = null;
  }
}

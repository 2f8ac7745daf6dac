/**
 * Remote customer displays: the pairing code the manager's screen shows, its exchange for a
 * device's own token, the devices' list and revocation, and which display is the customer's.
 *
 * A pairing code is 8 digits, one use, valid 10 minutes, and burnt after MAX_WRONG_TRIES wrong
 * guesses (counted across all guessers, since a guesser can change address): an attacker gets
 * at most 5 tries in 10^8 per code a manager makes. The token a device receives is 32 random
 * bytes; the ledger keeps only its hash. Revoking tells the transports (onRevoked) so they
 * close that device's connections at once.
 */
import { randomBytes } from 'node:crypto';
import {
  LOCAL_DISPLAY_ID,
  PosError,
  type DisplayDevice,
  type DisplayOverview,
  type PairingCode,
} from '../contract';
import type { Ledger } from '../ledger';
import type { Logger } from './logger';
import { cleanDeviceName, OneTimePairingCode } from './pairing-code';

export { MAX_WRONG_TRIES, PAIRING_CODE_MS } from './pairing-code';

export interface RemoteDisplayInfo {
  url: string;
  fingerprint: string;
}

export class DisplayRegistry {
  private readonly code: OneTimePairingCode;
  private remote: RemoteDisplayInfo | null = null;
  private readonly revokedListeners = new Set<(deviceId: string) => void>();

  constructor(
    private readonly ledger: Ledger,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {
    this.code = new OneTimePairingCode(now, logger, 'display', 'at the till');
  }

  /** The host says where remote displays connect and its certificate's fingerprint. */
  setRemote(info: RemoteDisplayInfo | null): void {
    this.remote = info;
  }

  overview(): DisplayOverview {
    return {
      devices: this.ledger.displayDevices(),
      customerDisplay: this.ledger.customerDisplay(),
      remote: this.remote,
    };
  }

  newPairingCode(): PairingCode {
    if (this.remote === null)
      throw new PosError(
        'NOT_SUPPORTED',
        'remote displays are turned off (start the terminal with --remote-displays)',
      );
    return this.code.issue();
  }

  /**
   * A device gives the code it was shown and a name; it gets its token, once. A wrong code
   * counts against the code in force; the last allowed wrong guess burns it.
   */
  exchange(code: string, name: string): { device: DisplayDevice; token: string } {
    this.code.redeem(code);
    const cleanName = cleanDeviceName(name) || 'display';
    const token = randomBytes(32).toString('base64url');
    const device = this.ledger.addDisplayDevice(cleanName, token);
    this.logger.info('display pairing: a device was paired', { deviceId: device.id });
    return { device, token };
  }

  /** The paired, unrevoked device a token belongs to. */
  authenticate(token: string): DisplayDevice | null {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    return this.ledger.displayDeviceByToken(token);
  }

  revoke(deviceId: string): DisplayDevice {
    const device = this.ledger.revokeDisplayDevice(deviceId);
    for (const listener of this.revokedListeners) listener(deviceId);
    return device;
  }

  onRevoked(listener: (deviceId: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  customerDisplay(): string {
    return this.ledger.customerDisplay();
  }

  setCustomerDisplay(display: string): DisplayOverview {
    this.ledger.setCustomerDisplay(display);
    return this.overview();
  }

  /** Whether a caller's display is the one the till says is the customer's. */
  isCustomers(display: string | undefined): boolean {
    return display !== undefined && display === this.customerDisplay();
  }
}

export { LOCAL_DISPLAY_ID };

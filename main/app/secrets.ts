/**
 * The terminal's secrets in Electron: sealed by the OS keystore through safeStorage (Keychain,
 * DPAPI, libsecret/kwallet), so a copied secrets file is useless on another machine or to
 * another OS user. Where there is no keystore (Linux without a keyring, or Chromium's
 * "basic_text" store, whose key is a constant in the binary and so seals nothing), the plain
 * owner-only store (0700/0600), and the log says why. Called after the app is ready (before
 * it, safeStorage reports nothing available).
 */
import type { SafeStorage } from 'electron';
import type { Logger } from '../core';
import {
  FileSecretStore,
  secretsDirFor,
  type SecretSealer,
  type SecretStore,
} from '../shared/secret-store';

type Keystore = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

/** Why safeStorage cannot seal here, or null when it can. */
export function keystoreUnavailableReason(keystore: Keystore, platform: string): string | null {
  if (!keystore.isEncryptionAvailable()) return 'safeStorage reports no encryption available';
  if (platform === 'linux') {
    const backend = keystore.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown')
      return `safeStorage would use "${backend}" (no keyring: its key is not secret)`;
  }
  return null;
}

/**
 * The sealer over safeStorage. Its string API is given base64 (secrets are bytes). The
 * synchronous calls, deprecated in Electron 45, because SecretStore is synchronous (the core
 * reads its keys while it starts).
 */
export function safeStorageSealer(keystore: Keystore): SecretSealer {
  return {
    name: 'safeStorage',
    seal: (plain) => keystore.encryptString(plain.toString('base64')),
    open: (sealed) => Buffer.from(keystore.decryptString(sealed), 'base64'),
  };
}

export function terminalSecretStore(
  dataDir: string,
  keystore: Keystore,
  logger: Logger,
  platform: string = process.platform,
): SecretStore {
  const reason = keystoreUnavailableReason(keystore, platform);
  if (reason !== null) {
    logger.warn(
      `secrets: ${reason}; keeping them in owner-only files instead (install and unlock a ` +
        'keyring, e.g. gnome-keyring, to have them sealed)',
    );
    return new FileSecretStore(secretsDirFor(dataDir));
  }
  return new FileSecretStore(secretsDirFor(dataDir), safeStorageSealer(keystore));
}

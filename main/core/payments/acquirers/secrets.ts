/**
 * Where each acquirer's keys live: the terminal's SecretStore (owner-only files, sealed by the
 * platform keystore under Electron), never the configuration file, the ledger, logs or the
 * renderer. The configuration holds only what is not secret (app id, merchant id, gateway URL).
 */
import type { SecretStore } from '../../../shared/secret-store';

export const SECRET_NAMES = {
  /** The shop's application private key (PEM, PKCS#1 or PKCS#8) that signs requests (RSA2). */
  alipayAppPrivateKey: 'alipay-app-private-key',
  /** Alipay's public key (PEM) that verifies Alipay's answers. */
  alipayPublicKey: 'alipay-public-key',
  /** WeChat Pay v2 API key (32 characters) for HMAC-SHA256 signatures. */
  wechatApiKey: 'wechatpay-api-key',
  /** WeChat Pay merchant API certificate and key (PEM) for the reverse and refund doors. */
  wechatClientCert: 'wechatpay-client-cert',
  wechatClientKey: 'wechatpay-client-key',
} as const;

/** A secret that must be there, or a clear message naming it (never its value). */
export function requireSecret(store: SecretStore, name: string, what: string): string {
  const value = store.get(name);
  if (value === null || value.length === 0) {
    throw new Error(
      `${what} is not configured: put it in the secret "${name}" in ${store.location}`,
    );
  }
  return value.toString('utf8');
}

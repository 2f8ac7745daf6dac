/**
 * The remote-display listener's TLS identity: a self-signed certificate made at the first start
 * with remote displays on, and kept. Its private key is a secret (the terminal's SecretStore:
 * safeStorage in Electron, an owner-only file elsewhere), the certificate an owner-only file in
 * the data directory. A device cannot check a self-signed certificate against an authority, so
 * the till shows its SHA-256 fingerprint (printed at start, on the manager's screen) for the
 * person pairing the device to compare before trusting it.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { writePrivateFile } from '../shared/private-files';
import type { SecretStore } from '../shared/secret-store';

export const TLS_KEY_SECRET = 'host-tls-key';
export const TLS_CERT_FILE = 'host-tls-cert.pem';
const VALID_DAYS = 5 * 365;

export interface TlsIdentity {
  key: string;
  cert: string;
  /** SHA-256 of the certificate, AA:BB:… as browsers show it. */
  fingerprint: string;
}

function matching(key: string, cert: string): TlsIdentity | null {
  try {
    const x509 = new X509Certificate(cert);
    if (!x509.checkPrivateKey(createPrivateKey(key))) return null;
    if (Date.parse(x509.validTo) < Date.now()) return null;
    return { key, cert, fingerprint: x509.fingerprint256 };
  } catch {
    return null;
  }
}

/** The kept identity, or a new one (for `names`: the LAN names and addresses served). */
export async function loadOrCreateTlsIdentity(
  dataDir: string,
  secrets: SecretStore,
  names: readonly string[],
): Promise<TlsIdentity> {
  const certFile = join(dataDir, TLS_CERT_FILE);
  const key = secrets.get(TLS_KEY_SECRET)?.toString('utf8');
  if (key !== undefined && existsSync(certFile)) {
    const kept = matching(key, readFileSync(certFile, 'utf8'));
    if (kept !== null) return kept;
  }
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: 'face-pay-pos' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + VALID_DAYS * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      {
        name: 'subjectAltName',
        altNames: names.map((n) =>
          /^[\d.]+$/.test(n) || n.includes(':') ? { type: 7, ip: n } : { type: 2, value: n },
        ),
      },
    ],
  });
  secrets.set(TLS_KEY_SECRET, Buffer.from(pems.private, 'utf8'));
  writePrivateFile(certFile, pems.cert);
  const made = matching(pems.private, pems.cert);
  if (made === null) throw new Error('the new TLS certificate does not match its key');
  return made;
}

/**
 * Encryption at rest for what the cloud's database must keep but nobody who copies the database
 * (a backup, a replica's disk, a local user reading PGlite's files) may read or use: the
 * terminals' HMAC secrets and the payers' face templates.
 *
 *   sealed = 0x01 || iv (12 random bytes) || AES-256-GCM(key, iv, plain, aad) || tag (16 bytes)
 *   aad    = purpose || 0x00 || row context
 *
 * The key lives in the cloud's secret store (main/shared/secret-store.ts), never in the
 * database. The row context (the row's id, and for a template its payer) is authenticated: a
 * ciphertext copied onto another row, e.g. one payer's template onto another payer's row, fails
 * to open instead of letting one face pay from another wallet.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class AtRestKey {
  constructor(
    private readonly key: Buffer,
    /** What the key is for ("terminal-secret", "face-template"): part of every aad. */
    readonly purpose: string,
  ) {
    if (key.length !== 32) throw new Error(`the ${purpose} key must be 32 bytes`);
  }

  private aad(context: string): Buffer {
    return Buffer.from(`${this.purpose}\0${context}`);
  }

  seal(plain: Uint8Array, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(this.aad(context));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, body, cipher.getAuthTag()]);
  }

  /** Throws when the bytes were not sealed by this key for this row. */
  open(sealed: Uint8Array, context: string): Buffer {
    const bytes = Buffer.from(sealed);
    if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== VERSION) {
      throw new Error(`a ${this.purpose} in the database is not sealed in a form this cloud reads`);
    }
    const iv = bytes.subarray(1, 1 + IV_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(this.aad(context));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([
        decipher.update(bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new Error(`a ${this.purpose} does not open for ${context}: wrong key or moved row`);
    }
  }

  /**
   * A value that names the key without revealing it, kept in the database so that a replica
   * started with another secrets folder is refused at start rather than failing row by row.
   */
  fingerprint(): string {
    return createHmac('sha256', this.key).update(`fingerprint\0${this.purpose}`).digest('hex');
  }
}

/** The context a terminal's secret is sealed under. */
export const terminalContext = (terminalId: string): string => `terminals/${terminalId}`;
/** The context a template is sealed under: its row and its payer. */
export const templateContext = (templateId: number, payerId: string): string =>
  `face_templates/${templateId}/${payerId}`;

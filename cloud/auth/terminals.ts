/**
 * Terminals: pairing once with a code from the back office, then verifying the signature of
 * every request (see signing.ts for the scheme).
 */
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { terminalContext, type AtRestKey } from '../crypto/at-rest';
import type { Db } from '../db';
import { CloudError } from '../errors';
import { DEFAULT_SKEW_MS, SIGNATURE_HEADERS, canonicalRequest, signatureMatches } from './signing';

export interface AuthenticatedTerminal {
  id: string;
  storeId: string;
}

/** No 0/O, 1/I: a code is read off a screen and typed on a till. 32 symbols, 5 bits each. */
const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const CODE_LENGTH = 8;
const CODE_TTL_MS = 15 * 60 * 1000;

function hashCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/** "abcd-efgh", "ABCD EFGH" and "ABCDEFGH" are the same code. */
export function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

export async function createPairingCode(
  db: Db,
  storeId: string,
  terminalName: string,
  now = Date.now(),
): Promise<{ code: string; expiresAt: string }> {
  const store = await db.query('SELECT 1 FROM stores WHERE id = $1', [storeId]);
  if (store.rowCount === 0) throw new CloudError('NOT_FOUND', `no store ${storeId}`, 'storeId');
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  const expiresAt = new Date(now + CODE_TTL_MS);
  await db.query(
    'INSERT INTO pairing_codes (code_hash, store_id, terminal_name, expires_at) VALUES ($1, $2, $3, $4)',
    [hashCode(code), storeId, terminalName, expiresAt],
  );
  return { code: `${code.slice(0, 4)}-${code.slice(4)}`, expiresAt: expiresAt.toISOString() };
}

/**
 * Uses up the code and registers the terminal with a fresh secret, in one transaction. The
 * database keeps the secret sealed under `key` (crypto/at-rest.ts): a copy of the database
 * signs nothing.
 */
export async function pairTerminal(
  db: Db,
  key: AtRestKey,
  code: string,
  terminalName: string | undefined,
): Promise<{ terminalId: string; storeId: string; secret: string }> {
  return db.transaction(async (tx) => {
    const terminalId = `trm_${randomUUID()}`;
    const used = await tx.query<{ store_id: string; terminal_name: string }>(
      `UPDATE pairing_codes SET used_at = now(), terminal_id = $2
       WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now()
       RETURNING store_id, terminal_name`,
      [hashCode(normaliseCode(code)), terminalId],
    );
    const row = used.rows[0];
    if (row === undefined) {
      throw new CloudError('PAIRING_CODE_INVALID', 'the pairing code is wrong, used or expired');
    }
    const secret = randomBytes(32);
    await tx.query(
      `INSERT INTO terminals (id, store_id, name, secret, secret_sealed)
       VALUES ($1, $2, $3, $4, true)`,
      [
        terminalId,
        row.store_id,
        terminalName ?? row.terminal_name,
        key.seal(secret, terminalContext(terminalId)),
      ],
    );
    return { terminalId, storeId: row.store_id, secret: secret.toString('base64url') };
  });
}

export interface SignedRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

function header(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Checks a signed request and records its nonce. The order matters: the nonce is stored only
 * after the signature checks out, so nobody can burn a terminal's nonces by guessing.
 */
export class TerminalVerifier {
  /** Secrets change only at pairing; a short cache spares a query per request. */
  private readonly cache = new Map<
    string,
    { terminal: AuthenticatedTerminal; secret: Buffer; until: number }
  >();

  constructor(
    private readonly db: Db,
    /** What the terminals' secrets are sealed under in the database. */
    private readonly key: AtRestKey,
    private readonly skewMs = DEFAULT_SKEW_MS,
    private readonly cacheMs = 10_000,
  ) {}

  async verify(request: SignedRequest, now = Date.now()): Promise<AuthenticatedTerminal> {
    const terminalId = header(request, SIGNATURE_HEADERS.terminal);
    const timestamp = header(request, SIGNATURE_HEADERS.timestamp);
    const nonce = header(request, SIGNATURE_HEADERS.nonce);
    const signature = header(request, SIGNATURE_HEADERS.signature);
    if (!terminalId || !timestamp || !nonce || !signature) {
      throw new CloudError('UNAUTHENTICATED', 'this request must be signed by a paired terminal');
    }
    if (!/^\d{1,16}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > this.skewMs) {
      throw new CloudError(
        'TIMESTAMP_OUT_OF_WINDOW',
        'the request timestamp is too far from the server clock',
      );
    }
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) {
      throw new CloudError('UNAUTHENTICATED', 'the nonce must be 16-64 base64url characters');
    }
    const known = await this.lookup(terminalId, now);
    const canonical = canonicalRequest(request.method, request.url, timestamp, nonce, request.body);
    if (known === null || !signatureMatches(known.secret, canonical, signature)) {
      throw new CloudError('SIGNATURE_INVALID', 'the request signature does not verify');
    }
    // Kept until the timestamp itself leaves the window: after that the timestamp check refuses it.
    const inserted = await this.db.query(
      `INSERT INTO request_nonces (terminal_id, nonce, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [terminalId, nonce, new Date(Number(timestamp) + this.skewMs)],
    );
    if (inserted.rowCount === 0)
      throw new CloudError('REPLAYED', 'this request was already received');
    return known.terminal;
  }

  private async lookup(terminalId: string, now: number) {
    const cached = this.cache.get(terminalId);
    if (cached !== undefined && cached.until > now) return cached;
    const { rows } = await this.db.query<{ id: string; store_id: string; secret: Uint8Array }>(
      `SELECT id, store_id, secret FROM terminals
       WHERE id = $1 AND revoked_at IS NULL AND secret_sealed`,
      [terminalId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    let secret: Buffer;
    try {
      secret = this.key.open(row.secret, terminalContext(row.id));
    } catch {
      // A secret sealed for another row (copied over) or under another key signs nothing.
      return null;
    }
    const entry = {
      terminal: { id: row.id, storeId: row.store_id },
      secret,
      until: now + this.cacheMs,
    };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(terminalId, entry);
    return entry;
  }

  /** Drops nonces whose window has passed; run periodically. */
  async purgeNonces(now = Date.now()): Promise<number> {
    const result = await this.db.query('DELETE FROM request_nonces WHERE expires_at < $1', [
      new Date(now),
    ]);
    return result.rowCount;
  }
}

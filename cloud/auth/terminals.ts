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

function header(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** A request whose headers passed admission; its body is still unread. */
export interface AdmittedRequest {
  terminal: AuthenticatedTerminal;
  secret: Buffer;
  timestamp: string;
  nonce: string;
  signature: string;
}

/**
 * Checks a signed request in two steps. `admit` runs before the body is read (Fastify's
 * onRequest): headers present and well formed, timestamp within the window, terminal known and
 * not revoked. So a stranger's or a revoked terminal's upload is refused without reading it.
 * `verifyBody` then checks the HMAC over the body and records the nonce: the nonce is stored only
 * after the signature checks out, so nobody can burn a terminal's nonces by guessing.
 *
 * The terminal is looked up on every request, without a cache: a revocation (`npm run cloud --
 * terminals revoke`) must refuse the very next request on every replica. It is one primary-key
 * read beside the nonce insert every request already makes.
 */
export class TerminalVerifier {
  constructor(
    private readonly db: Db,
    /** What the terminals' secrets are sealed under in the database. */
    private readonly key: AtRestKey,
    private readonly skewMs = DEFAULT_SKEW_MS,
  ) {}

  async admit(
    headers: Record<string, string | string[] | undefined>,
    now = Date.now(),
  ): Promise<AdmittedRequest> {
    const terminalId = header(headers, SIGNATURE_HEADERS.terminal);
    const timestamp = header(headers, SIGNATURE_HEADERS.timestamp);
    const nonce = header(headers, SIGNATURE_HEADERS.nonce);
    const signature = header(headers, SIGNATURE_HEADERS.signature);
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
    if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(terminalId) || !/^[A-Za-z0-9_-]{43}$/.test(signature)) {
      throw new CloudError('SIGNATURE_INVALID', 'the request signature does not verify');
    }
    const { rows } = await this.db.query<{
      id: string;
      store_id: string;
      secret: Uint8Array;
      revoked_at: Date | null;
    }>('SELECT id, store_id, secret, revoked_at FROM terminals WHERE id = $1 AND secret_sealed', [
      terminalId,
    ]);
    const row = rows[0];
    if (row === undefined) {
      throw new CloudError('SIGNATURE_INVALID', 'the request signature does not verify');
    }
    if (row.revoked_at !== null) {
      throw new CloudError(
        'TERMINAL_REVOKED',
        'this terminal was revoked in the back office: pair it again with a new code',
      );
    }
    let secret: Buffer;
    try {
      secret = this.key.open(row.secret, terminalContext(row.id));
    } catch {
      // A secret sealed for another row (copied over) or under another key signs nothing.
      throw new CloudError('SIGNATURE_INVALID', 'the request signature does not verify');
    }
    return {
      terminal: { id: row.id, storeId: row.store_id },
      secret,
      timestamp,
      nonce,
      signature,
    };
  }

  async verifyBody(
    admitted: AdmittedRequest,
    request: { method: string; url: string; body: Uint8Array },
  ): Promise<AuthenticatedTerminal> {
    const { terminal, secret, timestamp, nonce, signature } = admitted;
    const canonical = canonicalRequest(request.method, request.url, timestamp, nonce, request.body);
    if (!signatureMatches(secret, canonical, signature)) {
      throw new CloudError('SIGNATURE_INVALID', 'the request signature does not verify');
    }
    // Kept until the timestamp itself leaves the window: after that the timestamp check refuses it.
    const inserted = await this.db.query(
      `INSERT INTO request_nonces (terminal_id, nonce, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [terminal.id, nonce, new Date(Number(timestamp) + this.skewMs)],
    );
    if (inserted.rowCount === 0)
      throw new CloudError('REPLAYED', 'this request was already received');
    return terminal;
  }

  /** Both steps at once, for callers that hold the whole request. */
  async verify(request: SignedRequest, now = Date.now()): Promise<AuthenticatedTerminal> {
    return this.verifyBody(await this.admit(request.headers, now), request);
  }

  /** Drops nonces whose window has passed; run periodically. */
  async purgeNonces(now = Date.now()): Promise<number> {
    const result = await this.db.query('DELETE FROM request_nonces WHERE expires_at < $1', [
      new Date(now),
    ]);
    return result.rowCount;
  }
}

export interface TerminalView {
  terminalId: string;
  storeId: string;
  name: string;
  pairedAt: string;
  revokedAt: string | null;
}

export async function listTerminals(db: Db): Promise<TerminalView[]> {
  const { rows } = await db.query<{
    id: string;
    store_id: string;
    name: string;
    paired_at: Date;
    revoked_at: Date | null;
  }>('SELECT id, store_id, name, paired_at, revoked_at FROM terminals ORDER BY paired_at, id');
  return rows.map((r) => ({
    terminalId: r.id,
    storeId: r.store_id,
    name: r.name,
    pairedAt: new Date(r.paired_at).toISOString(),
    revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at).toISOString(),
  }));
}

/** Revokes a terminal's key for good (it must pair again); revoking twice keeps the first time. */
export async function revokeTerminal(db: Db, terminalId: string): Promise<TerminalView> {
  const { rowCount } = await db.query(
    'UPDATE terminals SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1',
    [terminalId],
  );
  if (rowCount === 0) throw new CloudError('NOT_FOUND', `no terminal ${terminalId}`, 'terminalId');
  const found = (await listTerminals(db)).find((t) => t.terminalId === terminalId);
  if (found === undefined) throw new CloudError('NOT_FOUND', `no terminal ${terminalId}`);
  return found;
}

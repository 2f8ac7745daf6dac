/**
 * The remote displays paired with the till (migration 12). Tokens are stored hashed; the row of
 * a revoked device stays, marked, and its token never matches again.
 */
import { createHash } from 'node:crypto';
import { LOCAL_DISPLAY_ID, PosError, type DisplayDevice } from '../contract';
import type { Ctx } from './context';

interface Row {
  id: string;
  name: string;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

const COLUMNS = 'id, name, created_at, last_seen_at, revoked_at';

function toDevice(row: Row): DisplayDevice {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    revokedAt: row.revoked_at,
  };
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function addDevice(ctx: Ctx, name: string, token: string): DisplayDevice {
  const id = ctx.newId(ctx.now());
  ctx
    .stmt('INSERT INTO display_devices (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)')
    .run(id, name, tokenHash(token), ctx.now().toISOString());
  return getDevice(ctx, id);
}

export function getDevice(ctx: Ctx, id: string): DisplayDevice {
  const row = ctx.stmt(`SELECT ${COLUMNS} FROM display_devices WHERE id = ?`).get(id) as
    Row | undefined;
  if (row === undefined) throw new PosError('NOT_FOUND', `no paired display ${id}`, 'deviceId');
  return toDevice(row);
}

export function listDevices(ctx: Ctx): DisplayDevice[] {
  return (
    ctx.stmt(`SELECT ${COLUMNS} FROM display_devices ORDER BY created_at`).all() as Row[]
  ).map(toDevice);
}

/** The device a token belongs to, if it is not revoked; notes when it was last seen. */
export function deviceByToken(ctx: Ctx, token: string): DisplayDevice | null {
  const row = ctx
    .stmt(`SELECT ${COLUMNS} FROM display_devices WHERE token_hash = ? AND revoked_at IS NULL`)
    .get(tokenHash(token)) as Row | undefined;
  if (row === undefined) return null;
  ctx
    .stmt('UPDATE display_devices SET last_seen_at = ? WHERE id = ?')
    .run(ctx.now().toISOString(), row.id);
  return getDevice(ctx, row.id);
}

export function revokeDevice(ctx: Ctx, id: string): DisplayDevice {
  return ctx.tx(() => {
    getDevice(ctx, id);
    ctx
      .stmt(
        'UPDATE display_devices SET revoked_at = coalesce(revoked_at, ?), customer = 0 WHERE id = ?',
      )
      .run(ctx.now().toISOString(), id);
    return getDevice(ctx, id);
  });
}

/** LOCAL_DISPLAY_ID or the id of the paired device that is the customer's display. */
export function customerDisplay(ctx: Ctx): string {
  const row = ctx.stmt('SELECT id FROM display_devices WHERE customer = 1').get() as
    { id: string } | undefined;
  return row?.id ?? LOCAL_DISPLAY_ID;
}

export function setCustomerDisplay(ctx: Ctx, display: string): string {
  return ctx.tx(() => {
    if (display !== LOCAL_DISPLAY_ID) {
      const device = getDevice(ctx, display);
      if (device.revokedAt !== null)
        throw new PosError('VALIDATION', 'that display has been unpaired', 'display');
    }
    ctx.stmt('UPDATE display_devices SET customer = 0 WHERE customer = 1').run();
    if (display !== LOCAL_DISPLAY_ID)
      ctx.stmt('UPDATE display_devices SET customer = 1 WHERE id = ?').run(display);
    return customerDisplay(ctx);
  });
}

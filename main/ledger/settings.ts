/** The shop's settings: small key/value pairs with defaults, changed by a manager. */
import { PosError, type Settings } from '../contract';
import type { Ctx } from './context';

export const DEFAULT_SETTINGS: Settings = { discountLimitBp: 2_000 };

export function getSettings(ctx: Ctx): Settings {
  const rows = ctx.stmt('SELECT key, value FROM settings').all() as {
    key: string;
    value: string;
  }[];
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  const limit = Number(stored.get('discountLimitBp'));
  return {
    discountLimitBp: Number.isInteger(limit) ? limit : DEFAULT_SETTINGS.discountLimitBp,
  };
}

export function setSettings(ctx: Ctx, next: Settings): Settings {
  const bp = next.discountLimitBp;
  if (!Number.isInteger(bp) || bp < 0 || bp > 10_000)
    throw new PosError('VALIDATION', 'discountLimitBp: basis points 0..10000', 'discountLimitBp');
  return ctx.tx(() => {
    ctx
      .stmt(
        `INSERT INTO settings (key, value, updated_at) VALUES ('discountLimitBp', ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(String(bp), ctx.now().toISOString());
    return getSettings(ctx);
  });
}

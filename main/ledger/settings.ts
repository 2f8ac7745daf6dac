/** The shop's settings: small key/value pairs with defaults, changed by a manager. */
import { MIN_PIN_DIGITS, PosError, type Settings } from '../contract';
import type { Ctx } from './context';

export const DEFAULT_SETTINGS: Settings = {
  discountLimitBp: 2_000,
  autoPrintReceipt: true,
  cashierPinDigits: MIN_PIN_DIGITS.cashier,
  managerPinDigits: MIN_PIN_DIGITS.manager,
};

/** A stored PIN length, never below the role's floor (a stray value cannot weaken PINs). */
function digits(stored: string | undefined, floor: number, fallback: number): number {
  const n = Number(stored);
  return Number.isInteger(n) && n >= floor && n <= 8 ? n : fallback;
}

export function getSettings(ctx: Ctx): Settings {
  const rows = ctx.stmt('SELECT key, value FROM settings').all() as {
    key: string;
    value: string;
  }[];
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  const limit = Number(stored.get('discountLimitBp'));
  const autoPrint = stored.get('autoPrintReceipt');
  return {
    discountLimitBp: Number.isInteger(limit) ? limit : DEFAULT_SETTINGS.discountLimitBp,
    autoPrintReceipt:
      autoPrint === '1' ? true : autoPrint === '0' ? false : DEFAULT_SETTINGS.autoPrintReceipt,
    cashierPinDigits: digits(
      stored.get('cashierPinDigits'),
      MIN_PIN_DIGITS.cashier,
      DEFAULT_SETTINGS.cashierPinDigits,
    ),
    managerPinDigits: digits(
      stored.get('managerPinDigits'),
      MIN_PIN_DIGITS.manager,
      DEFAULT_SETTINGS.managerPinDigits,
    ),
  };
}

/** Changes the settings given; the others keep their values. */
export function setSettings(ctx: Ctx, next: Partial<Settings>): Settings {
  const values: [keyof Settings, string][] = [];
  if (next.discountLimitBp !== undefined) {
    const bp = next.discountLimitBp;
    if (!Number.isInteger(bp) || bp < 0 || bp > 10_000)
      throw new PosError('VALIDATION', 'discountLimitBp: basis points 0..10000', 'discountLimitBp');
    values.push(['discountLimitBp', String(bp)]);
  }
  if (next.autoPrintReceipt !== undefined) {
    if (typeof next.autoPrintReceipt !== 'boolean')
      throw new PosError('VALIDATION', 'autoPrintReceipt: true or false', 'autoPrintReceipt');
    values.push(['autoPrintReceipt', next.autoPrintReceipt ? '1' : '0']);
  }
  for (const key of ['cashierPinDigits', 'managerPinDigits'] as const) {
    const n = next[key];
    if (n === undefined) continue;
    const floor = MIN_PIN_DIGITS[key === 'cashierPinDigits' ? 'cashier' : 'manager'];
    if (!Number.isInteger(n) || n < floor || n > 8)
      throw new PosError('VALIDATION', `${key}: ${floor} to 8 digits`, key);
    values.push([key, String(n)]);
  }
  return ctx.tx(() => {
    const at = ctx.now().toISOString();
    for (const [key, value] of values)
      ctx
        .stmt(
          `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        )
        .run(key, value, at);
    return getSettings(ctx);
  });
}

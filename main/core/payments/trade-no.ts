/**
 * out_trade_no: the idempotency key every acquirer keys a charge on. It is the sale's id plus the
 * attempt number, so a retry of the same attempt can never charge twice, and the daily list maps
 * back to the ledger's sale.
 *
 * Sale ids are UUIDs (36 characters); WeChat takes at most 32 and Alipay only letters, digits and
 * underscores. So the UUID's 128 bits are written in base 36 (25 characters), and the attempt
 * follows an underscore: "<25 chars>_<attempt>", at most 28 characters, for both acquirers.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OUT_TRADE_NO = /^([0-9a-z]{25})_([1-9]\d{0,1})$/;
export const MAX_ATTEMPTS = 99;

/** Sale ids are UUIDs (the ledger's uuidv7); nothing else can key a trade. */
export function isSaleId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function outTradeNo(saleId: string, attempt: number): string {
  if (!isSaleId(saleId)) throw new Error(`sale id is not a UUID: ${saleId}`);
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > MAX_ATTEMPTS)
    throw new Error(`attempt must be 1..${MAX_ATTEMPTS}: ${attempt}`);
  const compact = BigInt(`0x${saleId.replaceAll('-', '')}`)
    .toString(36)
    .padStart(25, '0');
  return `${compact}_${attempt}`;
}

/** The sale and attempt an out_trade_no stands for (reconciliation), or null if not one of ours. */
export function parseOutTradeNo(value: string): { saleId: string; attempt: number } | null {
  const match = OUT_TRADE_NO.exec(value);
  if (match === null) return null;
  let n = 0n;
  for (const ch of match[1] as string) n = n * 36n + BigInt(parseInt(ch, 36));
  if (n >= 1n << 128n) return null;
  const hex = n.toString(16).padStart(32, '0');
  const saleId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { saleId, attempt: Number(match[2]) };
}

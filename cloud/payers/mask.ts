/**
 * What a payer's identity looks like on a shop's screen: enough for the customer to recognise
 * themselves, not enough for the person behind them in the queue to learn who they are.
 */

/** "张小明" -> "**明", "Alice Smith" -> "A**** S****". */
export function maskName(name: string): string {
  const trimmed = name.trim();
  if (/\s/.test(trimmed)) {
    return trimmed
      .split(/\s+/)
      .map((part) => {
        const chars = [...part];
        return (chars[0] ?? '') + '*'.repeat(Math.max(chars.length - 1, 1));
      })
      .join(' ');
  }
  const chars = [...trimmed];
  if (chars.length <= 1) return '*';
  return '*'.repeat(chars.length - 1) + chars[chars.length - 1];
}

/** "13812345678" -> "138****5678". */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length <= 7) return `***${digits.slice(-4)}`;
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

export function phoneTail(phone: string): string {
  return phone.replace(/\D/g, '').slice(-4);
}

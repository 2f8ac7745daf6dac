/**
 * What a payer's identity looks like on a shop's screen: enough for the customer to recognise
 * themselves ("Pay ¥12.50 as 张*三?"), not enough for the person behind them in the queue to
 * learn who they are.
 */

/**
 * One word (a Chinese name is one word): the first and the last character stay and the middle
 * is masked, one star per hidden character; two characters keep the first ("张三" -> "张*");
 * a single character is masked whole (it would otherwise be shown in full).
 */
function maskWord(word: string): string {
  // Code points, not UTF-16 units: a name may hold characters outside the BMP (𠀋).
  const chars = [...word];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** "张三丰" -> "张*丰", "欧阳娜娜" -> "欧**娜", "张三" -> "张*", "Alice Smith" -> "A***e S***h". */
export function maskName(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '*';
  return words.map(maskWord).join(' ');
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

/**
 * The cashier's keys. Every action has one, so a whole sale can be done without the mouse; the
 * help overlay (F1) and the function-key bar are drawn from the same table. Pure logic: the
 * screen supplies the key and where focus is, and runs the command.
 */
export const CASHIER_COMMANDS = [
  'help',
  'search',
  'shift',
  'hold',
  'recall',
  'lineDiscount',
  'saleDiscount',
  'receipts',
  'priceOverride',
  'voidSale',
  'facePay',
  'pay',
  'qtyUp',
  'qtyDown',
  'removeLine',
  'selectUp',
  'selectDown',
  'back',
] as const;
export type CashierCommand = (typeof CASHIER_COMMANDS)[number];

/** Function keys, in the order of the function-key bar. */
export const FUNCTION_KEYS: readonly { key: string; command: CashierCommand }[] = [
  { key: 'F1', command: 'help' },
  { key: 'F2', command: 'search' },
  { key: 'F3', command: 'shift' },
  { key: 'F4', command: 'hold' },
  { key: 'F5', command: 'recall' },
  { key: 'F6', command: 'lineDiscount' },
  { key: 'F7', command: 'saleDiscount' },
  { key: 'F8', command: 'receipts' },
  { key: 'F9', command: 'priceOverride' },
  { key: 'F10', command: 'voidSale' },
  { key: 'F11', command: 'facePay' },
  { key: 'F12', command: 'pay' },
];

/** The other keys: as the help overlay shows them (`keys`) and as the browser names them. */
export const EDIT_KEYS: readonly { keys: string; event: string; command: CashierCommand }[] = [
  { keys: '+', event: '+', command: 'qtyUp' },
  { keys: '−', event: '-', command: 'qtyDown' },
  { keys: 'Del', event: 'Delete', command: 'removeLine' },
  { keys: '↑', event: 'ArrowUp', command: 'selectUp' },
  { keys: '↓', event: 'ArrowDown', command: 'selectDown' },
  { keys: 'Esc', event: 'Escape', command: 'back' },
];

export interface KeyContext {
  /**
   * Focus is in a text field that wants the key for itself: anything but the barcode field,
   * or the barcode field with something typed in it.
   */
  typing: boolean;
}

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}

export function commandFor(event: KeyLike, context: KeyContext): CashierCommand | null {
  if (event.ctrlKey === true || event.altKey === true || event.metaKey === true) return null;
  const fn = FUNCTION_KEYS.find((f) => f.key === event.key);
  if (fn !== undefined) return fn.command;
  if (context.typing) return null;
  return EDIT_KEYS.find((e) => e.event === event.key)?.command ?? null;
}

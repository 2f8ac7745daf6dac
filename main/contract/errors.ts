/**
 * The one error type that crosses the contract. Every failure a caller can act on has a code;
 * `field` names the offending field (dotted path) when the error is about one input.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN',
  'NOT_FOUND',
  'INVALID_BARCODE',
  'UNKNOWN_BARCODE',
  'AMOUNT_OUT_OF_RANGE',
  'SALE_NOT_OPEN',
  'SALE_HAS_PAYMENTS',
  'SALE_EMPTY',
  'OVERPAYMENT',
  'INSUFFICIENT_TENDER',
  'NO_OPEN_SHIFT',
  'SHIFT_ALREADY_OPEN',
  'SHIFT_OPEN',
  'REFUND_EXCEEDS_PAID',
  'Z_ALREADY_TAKEN',
  'DATABASE_TOO_NEW',
  /** The action needs a manager's PIN and none was given. */
  'PIN_REQUIRED',
  /** The PIN matches nobody (or nobody with the role the action needs). */
  'PIN_WRONG',
  /** Too many wrong PINs in a row: PINs are refused for a while. */
  'PIN_LOCKED',
  /** Only a completed sale has a receipt (an open, held or voided one has none to print). */
  'SALE_NOT_COMPLETED',
  /** No receipt printer (and so no cash drawer) is attached. */
  'NO_PRINTER',
  /** The printer did not take the job (unplugged, paper, I/O): the sale is kept, reprint it. */
  'PRINTER_ERROR',
  /** Nobody is signed in at the till: selling, payments, refunds and shifts need a cashier. */
  'SIGN_IN_REQUIRED',
  /** The channel is the manager's: this screen has no open manager session (or it ended). */
  'MANAGER_REQUIRED',
  /** This terminal cannot do that here (e.g. a window the browser host does not have). */
  'NOT_SUPPORTED',
  /**
   * The acquirer did not confirm a refund to a payment it took (refused, or no answer): the
   * refund is not recorded. Check with the acquirer before refunding again.
   */
  'ACQUIRER_REFUND_FAILED',
  /** The customer display already shows another sale (the till's, or another register's order). */
  'BUSY',
  /** A register sent an order (or refund) number again with different content. */
  'ORDER_CONFLICT',
  /** The action needs a manager's approval: send it again with a manager's PIN. */
  'APPROVAL_REQUIRED',
  /** Someone saved the record since this edit began (optimistic version): reload and redo. */
  'VERSION_CONFLICT',
  /** A chain's cloud is the master of the catalogue here: edit it there, not at the till. */
  'CATALOG_MANAGED_BY_CLOUD',
  /** An import is bigger than the terminal takes in one go. */
  'TOO_LARGE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface PosErrorShape {
  code: ErrorCode;
  message: string;
  field?: string;
}

export class PosError extends Error implements PosErrorShape {
  readonly code: ErrorCode;
  readonly field?: string;

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'PosError';
    this.code = code;
    if (field !== undefined) this.field = field;
  }

  toJSON(): PosErrorShape {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }

  static is(value: unknown): value is PosError {
    return value instanceof PosError;
  }
}

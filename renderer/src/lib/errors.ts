/**
 * Failures as the UI keeps them: plain, serialisable data (they live in the Redux store) that is
 * translated when rendered, so switching language re-translates an error already on screen.
 * Never a stack trace on screen.
 */
import { PosError, type ErrorCode } from '../contract';
import { TransportError, type TransportFailure } from '../api/transport';

/** Refusals the screen makes itself, before asking main. */
export const LOCAL_REASONS = [
  'scanWhileOpen',
  'reasonRequired',
  'linesRequired',
  'amountInvalid',
  'pinRequired',
  'qtyInvalid',
] as const;
export type LocalReason = (typeof LOCAL_REASONS)[number];

export type UiError =
  | { kind: 'pos'; code: ErrorCode; field?: string; barcode?: string }
  | { kind: 'transport'; reason: TransportFailure }
  | { kind: 'local'; reason: LocalReason }
  | { kind: 'unknown' };

export function toUiError(error: unknown, context: { barcode?: string } = {}): UiError {
  if (PosError.is(error)) {
    const ui: UiError = { kind: 'pos', code: error.code };
    if (error.field !== undefined) ui.field = error.field;
    if (context.barcode !== undefined) ui.barcode = context.barcode;
    return ui;
  }
  if (TransportError.is(error)) return { kind: 'transport', reason: error.reason };
  return { kind: 'unknown' };
}

/** The translation key and values for an error. */
export type ErrorMessageKey =
  | `errors.code.${ErrorCode}`
  | `errors.code.${'UNKNOWN_BARCODE' | 'INVALID_BARCODE'}_barcode`
  | `errors.transport.${TransportFailure}`
  | `errors.local.${LocalReason}`
  | 'errors.unknown';

export function errorMessage(error: UiError): {
  key: ErrorMessageKey;
  values: { barcode?: string };
} {
  switch (error.kind) {
    case 'pos':
      if (
        error.barcode !== undefined &&
        (error.code === 'UNKNOWN_BARCODE' || error.code === 'INVALID_BARCODE')
      ) {
        return { key: `errors.code.${error.code}_barcode`, values: { barcode: error.barcode } };
      }
      return { key: `errors.code.${error.code}`, values: {} };
    case 'transport':
      return { key: `errors.transport.${error.reason}`, values: {} };
    case 'local':
      return { key: `errors.local.${error.reason}`, values: {} };
    default:
      return { key: 'errors.unknown', values: {} };
  }
}

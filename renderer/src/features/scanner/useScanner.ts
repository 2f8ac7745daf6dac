import { useEffect, useRef } from 'react';
import { checkBarcode, classifyPaymentCode, PAYMENT_CODE_MAX_DIGITS } from '../../contract';
import { attachScanner } from './attach';
import type { ScannerOptions } from './detector';

/**
 * Route barcode scans to `onScan` wherever focus is, while the component is mounted. A scan may
 * also be a customer's payment code (up to 24 digits): the caller classifies it.
 */
export function useScanner(
  onScan: (code: string) => void,
  options?: Partial<ScannerOptions>,
): void {
  const handler = useRef(onScan);
  useEffect(() => {
    handler.current = onScan;
  }, [onScan]);
  const maxGapMs = options?.maxGapMs;
  const minLength = options?.minLength;
  const maxLength = options?.maxLength;
  useEffect(() => {
    const opts: Partial<ScannerOptions> = {};
    if (maxGapMs !== undefined) opts.maxGapMs = maxGapMs;
    if (minLength !== undefined) opts.minLength = minLength;
    opts.maxLength = maxLength ?? PAYMENT_CODE_MAX_DIGITS;
    return attachScanner(window, (code) => handler.current(code), {
      ...opts,
      isValidCode: (code) => checkBarcode(code).ok || classifyPaymentCode(code).ok,
    });
  }, [maxGapMs, minLength, maxLength]);
}

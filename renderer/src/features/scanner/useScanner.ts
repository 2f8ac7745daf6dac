import { useEffect, useRef } from 'react';
import { checkBarcode } from '../../contract';
import { attachScanner } from './attach';
import type { ScannerOptions } from './detector';

/** Route barcode scans to `onScan` wherever focus is, while the component is mounted. */
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
    if (maxLength !== undefined) opts.maxLength = maxLength;
    return attachScanner(window, (code) => handler.current(code), {
      ...opts,
      isValidCode: (code) => checkBarcode(code).ok,
    });
  }, [maxGapMs, minLength, maxLength]);
}

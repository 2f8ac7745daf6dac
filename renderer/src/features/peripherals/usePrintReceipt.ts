/**
 * The Print button of a receipt: to the receipt printer when one is attached (main prints it and
 * says whether the copy was the original or a reprint), otherwise the browser's own print of the
 * receipt on screen, as before there was a receipt printer.
 *
 * While a copy is on its way the button is marked busy but not disabled: disabling the focused
 * button would drop the focus out of the dialog, and Esc (the cashier's way on) with it.
 */
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../../app/hooks';
import { useCall } from '../../app/invoke';
import type { UiError } from '../../lib/errors';
import { selectPrinterAttached } from './peripheralsSlice';

export function usePrintReceipt(browserPrint: () => void) {
  const { t } = useTranslation();
  const call = useCall();
  const attached = useAppSelector(selectPrinterAttached);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<UiError | null>(null);

  const print = useCallback(
    async (saleId: string): Promise<void> => {
      if (inFlight.current) return;
      setNotice(null);
      setError(null);
      if (!attached) return browserPrint();
      inFlight.current = true;
      setBusy(true);
      const result = await call('receipt.print', { saleId });
      inFlight.current = false;
      setBusy(false);
      if (!result.ok) return setError(result.error);
      setNotice(t(result.value.reprint ? 'printer.reprinted' : 'printer.printed'));
    },
    [attached, browserPrint, call, t],
  );

  return { print, busy, notice, error };
}

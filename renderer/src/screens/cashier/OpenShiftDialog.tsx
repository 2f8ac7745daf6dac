import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { openShift, selectShiftError, selectShiftOpening } from '../../features/shift/shiftSlice';
import { parseYuanToFen } from '../../lib/money';
import { AmountField } from './AmountField';

/** Payments need an open shift: ask for the opening float (in yuan) and open one. */
export function OpenShiftDialog({
  onOpened,
  onReports,
}: {
  onOpened: () => void;
  /** Between shifts: the X/Z reports (e.g. to close the day). */
  onReports: () => void;
}) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const opening = useAppSelector(selectShiftOpening);
  const error = useAppSelector(selectShiftError);
  const [value, setValue] = useState('');
  const [touched, setTouched] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const parsed = parseYuanToFen(value);

  return (
    <Dialog title={t('shift.openTitle')} initialFocus={inputRef} testId="open-shift-dialog">
      <form
        className="dialog__body"
        onSubmit={(event) => {
          event.preventDefault();
          setTouched(true);
          if (!parsed.ok || opening) {
            inputRef.current?.focus();
            return;
          }
          void dispatch(openShift(parsed.fen)).then((result) => {
            if (openShift.fulfilled.match(result)) onOpened();
          });
        }}
      >
        <p>{t('shift.openIntro')}</p>
        <AmountField
          label={t('shift.float')}
          value={value}
          onChange={setValue}
          parsed={parsed}
          showError={touched}
          inputRef={inputRef}
          testId="float-input"
        />
        <ErrorMessage error={error} />
        <div className="dialog__actions">
          <button type="button" className="btn btn-ghost btn-large" onClick={onReports}>
            {t('shift.reports')}
          </button>
          <button type="submit" className="btn btn-primary btn-large" disabled={opening}>
            {opening ? t('shift.opening') : t('shift.open')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { isPinShaped, PinField } from '../../components/PinField';
import {
  selectUnlockError,
  selectUnlocking,
  unlockManager,
} from '../../features/manager/managerSlice';

/** The manager's screen opens with a manager's PIN (checked by main, with its lockout). */
export function ManagerGate() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const unlocking = useAppSelector(selectUnlocking);
  const error = useAppSelector(selectUnlockError);
  const [pin, setPin] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <Dialog title={t('manager.unlockTitle')} initialFocus={inputRef} testId="manager-gate">
      <form
        className="dialog__body"
        onSubmit={(event) => {
          event.preventDefault();
          if (!isPinShaped(pin) || unlocking) return inputRef.current?.focus();
          void dispatch(unlockManager(pin)).then(() => {
            setPin('');
            inputRef.current?.focus();
          });
        }}
      >
        <p>{t('manager.unlockIntro')}</p>
        <PinField
          label={t('approval.managerPin')}
          value={pin}
          onChange={setPin}
          inputRef={inputRef}
        />
        <ErrorMessage error={error} />
        <div className="dialog__actions">
          <button type="submit" className="btn btn-primary btn-large" disabled={unlocking}>
            {t('manager.unlock')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

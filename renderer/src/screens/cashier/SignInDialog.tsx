import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { isPinShaped, PinField } from '../../components/PinField';
import { selectSignInError, selectSigningIn, signIn } from '../../features/auth/authSlice';

/** Nobody is signed in at the till: the cashier (or a manager) enters a PIN. */
export function SignInDialog({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const signingIn = useAppSelector(selectSigningIn);
  const error = useAppSelector(selectSignInError);
  const [pin, setPin] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);

  return (
    <Dialog title={t('auth.signInTitle')} initialFocus={inputRef} testId="sign-in-dialog">
      <form
        className="dialog__body"
        onSubmit={(event) => {
          event.preventDefault();
          if (!isPinShaped(pin) || signingIn) {
            inputRef.current?.focus();
            return;
          }
          void dispatch(signIn(pin)).then((result) => {
            setPin('');
            if (signIn.fulfilled.match(result)) onSignedIn();
            else inputRef.current?.focus();
          });
        }}
      >
        <p>{t('auth.signInIntro')}</p>
        <PinField label={t('auth.pin')} value={pin} onChange={setPin} inputRef={inputRef} />
        <ErrorMessage error={error} />
        <div className="dialog__actions">
          <button type="submit" className="btn btn-primary btn-large" disabled={signingIn}>
            {t('auth.signIn')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

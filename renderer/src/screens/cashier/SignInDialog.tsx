import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { isPinShaped, PinField } from '../../components/PinField';
import {
  loadSignInStaff,
  selectSignInError,
  selectSignInStaff,
  selectSigningIn,
  signIn,
} from '../../features/auth/authSlice';

/**
 * Nobody is signed in at the till: the person picks their name, then enters their PIN. Picking
 * first is what lets the core count wrong PINs per person (one person's mistakes, or someone
 * guessing at them, lock only that person). Keyboard-first: the PIN field has the focus, and the
 * up/down arrows move between names (as do the radio buttons themselves).
 */
export function SignInDialog({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const signingIn = useAppSelector(selectSigningIn);
  const error = useAppSelector(selectSignInError);
  const staff = useAppSelector(selectSignInStaff);
  const [picked, setPicked] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void dispatch(loadSignInStaff());
  }, [dispatch]);

  // The till is mostly worked by cashiers: a cashier is picked until someone picks otherwise.
  const staffId = picked ?? staff.find((s) => s.role === 'cashier')?.id ?? staff[0]?.id ?? null;

  function move(step: number) {
    if (staff.length === 0) return;
    const at = staff.findIndex((s) => s.id === staffId);
    const next = staff[(at + step + staff.length) % staff.length];
    if (next) setPicked(next.id);
  }

  return (
    <Dialog title={t('auth.signInTitle')} initialFocus={inputRef} testId="sign-in-dialog">
      <form
        className="dialog__body"
        onKeyDown={(event) => {
          if (event.target !== inputRef.current) return;
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            move(event.key === 'ArrowDown' ? 1 : -1);
          }
        }}
        onSubmit={(event) => {
          event.preventDefault();
          if (staffId === null || !isPinShaped(pin) || signingIn) {
            inputRef.current?.focus();
            return;
          }
          void dispatch(signIn({ staffId, pin })).then((result) => {
            setPin('');
            if (signIn.fulfilled.match(result)) onSignedIn();
            else inputRef.current?.focus();
          });
        }}
      >
        <p>{t('auth.signInIntro')}</p>
        <fieldset className="field sign-in__people">
          <legend className="field-label">{t('auth.who')}</legend>
          {staff.length === 0 && <p>{t('auth.noStaff')}</p>}
          {staff.map((person) => (
            <label key={person.id} className="sign-in__person">
              <input
                type="radio"
                name="sign-in-person"
                value={person.id}
                checked={person.id === staffId}
                onChange={() => {
                  setPicked(person.id);
                  inputRef.current?.focus();
                }}
              />
              {person.name}
            </label>
          ))}
          <small>{t('auth.whoHint')}</small>
        </fieldset>
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

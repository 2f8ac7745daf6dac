import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../app/invoke';
import type { Settings, Staff } from '../contract';
import {
  fromMain,
  newPinProblem,
  staffProblem,
  type StaffProblem,
} from '../features/staff/staffProblems';
import { Dialog } from './Dialog';
import { isPinShaped, PinField } from './PinField';
import { StaffProblemMessage } from './StaffProblemMessage';

/**
 * A signed-in person changes their own PIN: the current one proves it is them (main counts a
 * wrong one like a wrong sign-in), the new one twice so a slip of the finger does not lock them
 * out.
 */
export function ChangeOwnPinDialog({
  person,
  onClose,
  onChanged,
}: {
  person: Staff;
  onClose: () => void;
  onChanged?: () => void;
}) {
  const { t } = useTranslation();
  const call = useCall();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [current, setCurrent] = useState('');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<StaffProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const currentRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    void call('settings.get', {}).then((r) => r.ok && setSettings(r.value));
  }, [call]);

  return (
    <Dialog
      title={t('staff.changeOwnPinTitle', { name: person.name })}
      onCancel={onClose}
      initialFocus={currentRef}
      testId="change-own-pin"
    >
      <form
        className="dialog__body"
        onSubmit={(event) => {
          event.preventDefault();
          if (busy) return;
          if (done) return onClose();
          if (!isPinShaped(current)) return setProblem({ kind: 'local', reason: 'pinRequired' });
          const bad = newPinProblem(pin, person.role, settings);
          if (bad !== null) return setProblem(bad);
          if (again !== pin) return setProblem(staffProblem('pinMismatch'));
          setBusy(true);
          void call('staff.changeOwnPin', { staffId: person.id, currentPin: current, pin }).then(
            (r) => {
              setBusy(false);
              setCurrent('');
              if (!r.ok) return setProblem(fromMain(r.error));
              setProblem(null);
              setDone(true);
              onChanged?.();
            },
          );
        }}
      >
        {!done && (
          <>
            <PinField
              label={t('staff.currentPin')}
              value={current}
              onChange={setCurrent}
              inputRef={currentRef}
              withKeypad={false}
            />
            <PinField label={t('staff.newPin')} value={pin} onChange={setPin} withKeypad={false} />
            <PinField
              label={t('staff.newPinAgain')}
              value={again}
              onChange={setAgain}
              withKeypad={false}
            />
          </>
        )}
        <StaffProblemMessage problem={problem} />
        {done && (
          <p role="status" className="notice notice--ok">
            {t('staff.changed')}
          </p>
        )}
        <div className="dialog__actions">
          {!done && (
            <button type="button" className="btn btn-secondary" onClick={onClose}>
              {t('staff.cancel')}
            </button>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {done ? t('staff.close') : t('staff.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

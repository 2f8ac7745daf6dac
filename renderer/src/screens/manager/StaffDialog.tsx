import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../app/invoke';
import { Dialog } from '../../components/Dialog';
import { isPinShaped, PinField } from '../../components/PinField';
import { StaffProblemMessage } from '../../components/StaffProblemMessage';
import { STAFF_ROLES, type Settings, type StaffMember, type StaffRole } from '../../contract';
import {
  fromMain,
  minPinDigits,
  newPinProblem,
  staffProblem,
  type StaffProblem,
} from '../../features/staff/staffProblems';

/** What the manager is doing to whom. */
export type StaffAction =
  { kind: 'add' } | { kind: 'edit' | 'pin' | 'disable' | 'enable'; person: StaffMember };

/**
 * One staff change, approved by a manager's PIN at the moment (main checks it and records who
 * gave it). New PINs are checked here first, so the manager reads why a PIN will not do before
 * anything is sent.
 */
export function StaffDialog({
  action,
  settings,
  onClose,
  onDone,
}: {
  action: StaffAction;
  settings: Settings | null;
  onClose: () => void;
  onDone: (name: string) => void;
}) {
  const { t } = useTranslation();
  const call = useCall();
  const person = action.kind === 'add' ? null : action.person;
  const [name, setName] = useState(person?.name ?? '');
  const [role, setRole] = useState<StaffRole>(person?.role ?? 'cashier');
  const [pin, setPin] = useState('');
  const [managerPin, setManagerPin] = useState('');
  const [problem, setProblem] = useState<StaffProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const firstRef = useRef<HTMLInputElement>(null);

  const editsDetails = action.kind === 'add' || action.kind === 'edit';
  // A new PIN: always when adding or resetting; when editing, only to become a manager; when
  // enabling, only for a manager (their old PIN may be another manager's by now).
  const needsPin =
    action.kind === 'add' ||
    action.kind === 'pin' ||
    (action.kind === 'edit' && role === 'manager' && person?.role !== 'manager') ||
    (action.kind === 'enable' && person?.role === 'manager');

  const title = {
    add: t('staff.addTitle'),
    edit: t('staff.editTitle', { name: person?.name }),
    pin: t('staff.resetPinTitle', { name: person?.name }),
    disable: t('staff.disableTitle', { name: person?.name }),
    enable: t('staff.enableTitle', { name: person?.name }),
  }[action.kind];

  function send(): void {
    if (editsDetails && name.trim() === '') return setProblem(staffProblem('nameRequired'));
    if (needsPin) {
      const bad = newPinProblem(pin, role, settings);
      if (bad !== null) return setProblem(bad);
    }
    if (!isPinShaped(managerPin)) return setProblem({ kind: 'local', reason: 'pinRequired' });
    const newPin = needsPin ? { pin } : {};
    const request = (() => {
      switch (action.kind) {
        case 'add':
          return call('staff.add', { name: name.trim(), role, pin, managerPin });
        case 'edit':
          return call('staff.update', {
            staffId: action.person.id,
            ...(name.trim() !== action.person.name ? { name: name.trim() } : {}),
            ...(role !== action.person.role ? { role } : {}),
            ...newPin,
            managerPin,
          });
        case 'pin':
          return call('staff.setPin', { staffId: action.person.id, pin, managerPin });
        case 'disable':
        case 'enable':
          return call('staff.setActive', {
            staffId: action.person.id,
            active: action.kind === 'enable',
            ...newPin,
            managerPin,
          });
      }
    })();
    setBusy(true);
    void request.then((r) => {
      setBusy(false);
      setManagerPin('');
      if (!r.ok) return setProblem(fromMain(r.error));
      onDone(r.value.name);
    });
  }

  return (
    <Dialog title={title} onCancel={onClose} initialFocus={firstRef} testId="staff-dialog">
      <form
        className="dialog__body"
        onSubmit={(event) => {
          event.preventDefault();
          if (!busy) send();
        }}
      >
        {action.kind === 'disable' && <p>{t('staff.disableIntro', { name: person?.name })}</p>}
        {action.kind === 'enable' && (
          <p>
            {person?.role === 'manager'
              ? t('staff.enableManagerIntro', { name: person.name })
              : t('staff.enableIntro', { name: person?.name })}
          </p>
        )}
        {editsDetails && (
          <>
            <label className="field">
              <span className="field-label">{t('staff.name')}</span>
              <input
                ref={firstRef}
                className="input"
                type="text"
                maxLength={64}
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
            </label>
            <label className="field">
              <span className="field-label">{t('staff.role')}</span>
              <select
                className="input"
                value={role}
                onChange={(event) => setRole(event.target.value as StaffRole)}
              >
                {STAFF_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`roles.${r}`)}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        {needsPin && (
          <>
            <PinField
              label={action.kind === 'edit' ? t('staff.newManagerPin') : t('staff.newPin')}
              value={pin}
              onChange={setPin}
              withKeypad={false}
            />
            <p className="muted">
              {t('staff.newPinHint', {
                cashier: minPinDigits('cashier', settings),
                manager: minPinDigits('manager', settings),
              })}
            </p>
          </>
        )}
        <PinField
          label={t('approval.managerPin')}
          value={managerPin}
          onChange={setManagerPin}
          withKeypad={false}
        />
        <StaffProblemMessage problem={problem} />
        <div className="dialog__actions">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t('staff.cancel')}
          </button>
          <button
            type="submit"
            className={action.kind === 'disable' ? 'btn btn-danger' : 'btn btn-primary'}
            disabled={busy}
          >
            {action.kind === 'disable'
              ? t('staff.disable')
              : action.kind === 'enable'
                ? t('staff.enable')
                : t('staff.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

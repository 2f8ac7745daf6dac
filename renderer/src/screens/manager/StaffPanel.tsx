import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../app/invoke';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { Settings, StaffMember } from '../../contract';
import type { UiError } from '../../lib/errors';
import { StaffDialog, type StaffAction } from './StaffDialog';

/**
 * Everyone who works here, disabled people too: add someone, rename them or change their role,
 * reset a PIN, disable or enable them. Each change asks for a manager's PIN and is recorded with
 * who gave it. `version` changes when the staff may have changed elsewhere (the demo-PIN
 * notice's resets); `onChanged` tells the screen this panel changed them.
 */
export function StaffPanel({ version, onChanged }: { version: number; onChanged: () => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [action, setAction] = useState<StaffAction | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    void call('staff.all', {}).then((r) => {
      if (!r.ok) return setError(r.error);
      setError(null);
      setStaff(r.value);
    });
    void call('settings.get', {}).then((r) => r.ok && setSettings(r.value));
  }, [call, version]);

  const open = (next: StaffAction): void => {
    setSaved(null);
    setAction(next);
  };

  return (
    <section className="panel" aria-labelledby="staff-title" data-testid="staff">
      <h2 id="staff-title" className="panel__title">
        {t('staff.title')}
      </h2>
      <ErrorMessage error={error} />
      {saved !== null && (
        <p role="status" className="notice notice--ok">
          {t('staff.saved', { name: saved })}
        </p>
      )}
      <table className="table" aria-labelledby="staff-title">
        <thead>
          <tr>
            <th scope="col">{t('staff.name')}</th>
            <th scope="col">{t('staff.role')}</th>
            <th scope="col">{t('staff.status')}</th>
            <th scope="col">{t('staff.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {staff.map((person) => (
            <tr key={person.id} data-testid="staff-row" data-active={person.active}>
              <th scope="row">{person.name}</th>
              <td>{t(`roles.${person.role}`)}</td>
              <td>{person.active ? t('staff.active') : t('staff.disabled')}</td>
              <td>
                <div className="staff__actions">
                  {person.active ? (
                    <>
                      <button
                        type="button"
                        className="btn btn-ghost btn-small"
                        onClick={() => open({ kind: 'edit', person })}
                      >
                        {t('staff.edit')}
                      </button>
                      <button
                        type="button"
                        className="btn btn-ghost btn-small"
                        onClick={() => open({ kind: 'pin', person })}
                      >
                        {t('staff.resetPin')}
                      </button>
                      <button
                        type="button"
                        className="btn btn-ghost btn-small"
                        onClick={() => open({ kind: 'disable', person })}
                      >
                        {t('staff.disable')}
                      </button>
                    </>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-ghost btn-small"
                      onClick={() => open({ kind: 'enable', person })}
                    >
                      {t('staff.enable')}
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div>
        <button type="button" className="btn btn-secondary" onClick={() => open({ kind: 'add' })}>
          {t('staff.add')}
        </button>
      </div>
      {action !== null && (
        <div className="overlay-layer">
          <StaffDialog
            action={action}
            settings={settings}
            onClose={() => setAction(null)}
            onDone={(name) => {
              setAction(null);
              setSaved(name);
              onChanged();
            }}
          />
        </div>
      )}
    </section>
  );
}

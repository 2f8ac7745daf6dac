import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../app/invoke';
import type { StaffRef } from '../../contract';

/**
 * The prompt to change the demo PINs (888888, 1234) before the shop trades: shown to the manager
 * while anyone still has one. A prompt, not a gate: the demo still runs on them. Asked again
 * whenever the staff change (`version`).
 */
export function DemoPinsNotice({ version }: { version: number }) {
  const { t } = useTranslation();
  const call = useCall();
  const [people, setPeople] = useState<StaffRef[]>([]);
  useEffect(() => {
    void call('staff.demoPins', {}).then((r) => r.ok && setPeople(r.value));
  }, [call, version]);
  if (people.length === 0) return null;
  return (
    <section
      className="notice notice--warn"
      aria-labelledby="demo-pins-title"
      data-testid="demo-pins"
    >
      <h2 id="demo-pins-title" className="panel__title">
        {t('staff.demoTitle')}
      </h2>
      <p>{t('staff.demoIntro', { names: people.map((p) => p.name).join(', ') })}</p>
    </section>
  );
}

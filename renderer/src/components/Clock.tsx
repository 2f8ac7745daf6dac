import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../lib/time';

/** The current time in the shop's time zone, ticking every second. */
export function Clock({ timeZone }: { timeZone: string | null }) {
  const { t, i18n } = useTranslation();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <time className="clock" dateTime={now.toISOString()} aria-label={t('status.clock')}>
      {formatTime(now, i18n.language, timeZone, true)}
    </time>
  );
}

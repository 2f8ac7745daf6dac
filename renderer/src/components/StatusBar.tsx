import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../app/hooks';
import { selectConnection } from '../features/connection/connectionSlice';
import { selectShift, selectShiftLoaded } from '../features/shift/shiftSlice';
import { selectInfo } from '../features/system/systemSlice';
import { formatTime } from '../lib/time';
import { Clock } from './Clock';
import { LanguageToggle } from './LanguageToggle';

/** Shop, shift state, connection state, clock and the language toggle. */
export function StatusBar({
  screen,
  title,
  showShift,
}: {
  screen: string;
  title: string;
  showShift: boolean;
}) {
  const { t, i18n } = useTranslation();
  const info = useAppSelector(selectInfo);
  const connection = useAppSelector(selectConnection);
  const shift = useAppSelector(selectShift);
  const shiftLoaded = useAppSelector(selectShiftLoaded);
  const timeZone = info?.timezone ?? null;

  return (
    <header className="status-bar" aria-label={t('status.label')}>
      <div className="status-bar__brand">
        <span className="status-bar__shop">{info?.shopName ?? ''}</span>
        <h1 className="status-bar__title">{title}</h1>
      </div>
      <div className="status-bar__items">
        {showShift && shiftLoaded && (
          <span
            className={`pill ${shift !== null ? 'pill--ok' : 'pill--warn'}`}
            data-testid="shift-state"
          >
            {shift !== null
              ? t('status.shiftOpen', { time: formatTime(shift.openedAt, i18n.language, timeZone) })
              : t('status.shiftNone')}
          </span>
        )}
        <span
          role="status"
          className={`pill pill--conn pill--${connection}`}
          data-testid="connection-state"
          data-state={connection}
        >
          <span className="dot" aria-hidden="true" />
          {t(`status.${connection}`)}
        </span>
        {info !== null && (
          <span className="status-bar__terminal">
            {t('status.terminal', { id: info.terminalId })}
          </span>
        )}
        <Clock timeZone={timeZone} />
        <LanguageToggle screen={screen} />
      </div>
    </header>
  );
}

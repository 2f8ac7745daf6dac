import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../app/hooks';
import { selectOperator, signOut } from '../features/auth/authSlice';
import { selectConnection } from '../features/connection/connectionSlice';
import { selectShift, selectShiftLoaded } from '../features/shift/shiftSlice';
import { selectSyncStatus } from '../features/sync/syncSlice';
import { selectInfo } from '../features/system/systemSlice';
import { formatTime } from '../lib/time';
import { ChangeOwnPinDialog } from './ChangeOwnPinDialog';
import { Clock } from './Clock';
import { LanguageToggle } from './LanguageToggle';
import { PrinterIndicator } from './PrinterIndicator';

/**
 * Shop, shift, who is signed in (signing out, changing their own PIN), connection, sync and printer state, clock and the language
 * toggle.
 */
export function StatusBar({
  screen,
  title,
  showShift,
  showOperator = false,
}: {
  screen: string;
  title: string;
  showShift: boolean;
  showOperator?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const dispatch = useAppDispatch();
  const info = useAppSelector(selectInfo);
  const connection = useAppSelector(selectConnection);
  const shift = useAppSelector(selectShift);
  const shiftLoaded = useAppSelector(selectShiftLoaded);
  const operator = useAppSelector(selectOperator);
  const sync = useAppSelector(selectSyncStatus);
  const timeZone = info?.timezone ?? null;
  const [changingPin, setChangingPin] = useState(false);

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
        {showOperator && operator !== null && (
          <span className="status-bar__operator" data-testid="operator">
            {t(`roles.${operator.role}`)}: {operator.name}
            <button
              type="button"
              className="btn btn-ghost btn-small"
              onClick={() => void dispatch(signOut())}
            >
              {t('auth.signOut')}
            </button>
            <button
              type="button"
              className="btn btn-ghost btn-small"
              aria-label={t('staff.changeOwnPin')}
              onClick={() => setChangingPin(true)}
            >
              {t('staff.ownPinShort')}
            </button>
            {changingPin &&
              // Over the whole screen, not inside the bar (whose colours it would inherit).
              createPortal(
                <div className="overlay-layer">
                  <ChangeOwnPinDialog person={operator} onClose={() => setChangingPin(false)} />
                </div>,
                document.body,
              )}
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
        {sync !== null && (
          <span
            className={`pill pill--sync pill--sync-${sync.state}`}
            data-testid="sync-state"
            title={t('sync.label')}
          >
            {t(`sync.state.${sync.state}`)}
            {sync.pendingEvents > 0 && ` · ${t('sync.pending', { count: sync.pendingEvents })}`}
          </span>
        )}
        <PrinterIndicator />
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

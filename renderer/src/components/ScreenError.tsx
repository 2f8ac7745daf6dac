/**
 * What a screen shows instead of going blank when a component throws while rendering: a message
 * in the screen's language and a way back. The sale itself lives in main (the ledger), so
 * reloading the screen loses nothing.
 */
import type { FallbackProps } from 'react-error-boundary';
import { useTranslation } from 'react-i18next';

export function ScreenError(_: FallbackProps) {
  const { t } = useTranslation();
  return (
    <div className="screen-error" role="alert" data-testid="screen-error">
      <h1>{t('app.crashed')}</h1>
      <p>{t('app.crashedHint')}</p>
      <button
        type="button"
        className="btn btn-primary btn-large"
        autoFocus
        onClick={() => window.location.reload()}
      >
        {t('app.reload')}
      </button>
    </div>
  );
}

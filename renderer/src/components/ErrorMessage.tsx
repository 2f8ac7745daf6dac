import { useTranslation } from 'react-i18next';
import { errorMessage, type UiError } from '../lib/errors';

/** A failure, translated (by PosError code or transport failure), as an alert. */
export function ErrorMessage({
  error,
  onDismiss,
  testId,
}: {
  error: UiError | null;
  onDismiss?: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  if (error === null) return null;
  const { key, values } = errorMessage(error);
  return (
    <div
      role="alert"
      className="alert"
      data-testid={testId}
      data-code={error.kind === 'pos' ? error.code : error.kind}
    >
      <span className="alert__text">{t(key, values)}</span>
      {onDismiss !== undefined && (
        <button type="button" className="btn btn-ghost btn-small" onClick={onDismiss}>
          {t('errors.dismiss')}
        </button>
      )}
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { isLanguage, setLanguage } from '../i18n';

/**
 * Switches between Chinese and English. The button is labelled in the language it switches to
 * ("English" / "中文"), as people look for their own language.
 */
export function LanguageToggle({ screen }: { screen: string }) {
  const { t } = useTranslation();
  const target = t('language.switchToLang');
  return (
    <button
      type="button"
      className="btn btn-ghost lang-toggle"
      lang={target}
      title={t('language.label')}
      // A click must not take focus from the field in use (the manager's PIN, the barcode): the
      // person goes on typing there in the other language. Tab still reaches the button.
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => {
        if (isLanguage(target)) setLanguage(screen, target);
      }}
    >
      {t('language.switchTo')}
    </button>
  );
}

/**
 * i18next with Simplified Chinese (default) and English. Each screen remembers its own choice in
 * localStorage, so the customer display can show English while the cashier works in Chinese.
 */
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-CN';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

export const resources = {
  'zh-CN': { translation: zhCN },
  en: { translation: en },
} as const;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function storageKey(screen: string): string {
  return `pos.language.${screen}`;
}

export function storedLanguage(screen: string): Language | null {
  try {
    const value = globalThis.localStorage?.getItem(storageKey(screen));
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

function applyDocumentLanguage(language: Language): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

export async function initI18n(language: Language): Promise<i18n> {
  await i18next.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  applyDocumentLanguage(language);
  return i18next;
}

/** Switch language and remember the choice for this screen. */
export function setLanguage(screen: string, language: Language): void {
  void i18next.changeLanguage(language);
  applyDocumentLanguage(language);
  try {
    globalThis.localStorage?.setItem(storageKey(screen), language);
  } catch {
    // Storage may be unavailable (private mode); the choice then lasts for this page only.
  }
}

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : DEFAULT_LANGUAGE;
}

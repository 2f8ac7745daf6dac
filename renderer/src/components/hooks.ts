import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { formatFen } from '../lib/money';
import { localName } from '../lib/names';

/** Formats fen as currency in the current language. */
export function useMoney(): (fen: number) => string {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return useCallback((fen: number) => formatFen(fen, locale), [locale]);
}

/** Picks the product name for the current language. */
export function useLocalName(): (item: { nameZh: string; nameEn: string }) => string {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return useCallback((item) => localName(item, language), [language]);
}

import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/** The demo catalogue's categories and their translation keys; others show as they are. */
const CATEGORY_KEYS = {
  drinks: 'drinks',
  snacks: 'snacks',
  dairy: 'dairy',
  'grain & oil': 'grain',
  'instant food & seasoning': 'instant',
  'fresh produce': 'produce',
  household: 'household',
  'personal care': 'personal',
  stationery: 'stationery',
  'books & papers': 'books',
} as const;

export function useCategoryName(): (category: string) => string {
  const { t } = useTranslation();
  return useCallback(
    (category: string) => {
      const key = (
        CATEGORY_KEYS as Record<string, (typeof CATEGORY_KEYS)[keyof typeof CATEGORY_KEYS]>
      )[category];
      return key === undefined ? category : t(`categories.names.${key}`);
    },
    [t],
  );
}

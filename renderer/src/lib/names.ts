/** A product's name in the current language (falling back to the other one if empty). */
export function localName(item: { nameZh: string; nameEn: string }, language: string): string {
  if (language.startsWith('zh')) return item.nameZh !== '' ? item.nameZh : item.nameEn;
  return item.nameEn !== '' ? item.nameEn : item.nameZh;
}

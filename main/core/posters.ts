/**
 * The customer display's idle posters. A shop configures its own in `<dataDir>/posters.json`
 * (an array of posters, see the contract's `poster`; images as paths relative to the renderer
 * or data: URLs); without that file, or if it is not valid, the built-in ones are shown. The
 * file is read on each request, so a change shows on the display's next start of its carousel.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { poster, type Poster } from '../contract';
import type { Logger } from './logger';

export const DEFAULT_POSTERS: readonly Poster[] = [
  {
    id: 'fresh',
    image: 'posters/fresh.svg',
    title: { 'zh-CN': '新鲜水果 每日到店', en: 'Fresh fruit every morning' },
    text: { 'zh-CN': '当季水果第二件半价', en: 'Second item half price on seasonal fruit' },
  },
  {
    id: 'coupon',
    image: 'posters/coupon.svg',
    title: { 'zh-CN': '满 50 减 5', en: '¥5 off every ¥50' },
    text: {
      'zh-CN': '本周会员专享，结账时自动抵扣',
      en: 'Members only this week, taken off at the till',
    },
  },
  {
    id: 'facepay',
    image: 'posters/facepay.svg',
    title: { 'zh-CN': '刷脸支付 一秒结账', en: 'Pay with your face in a second' },
    text: {
      'zh-CN': '无需手机，看一眼屏幕即可付款',
      en: 'No phone needed: just look at the screen',
    },
  },
];

const posterFile = z.array(poster).min(1).max(20);

export function loadPosters(dataDir: string, logger: Logger): Poster[] {
  let text: string;
  try {
    text = readFileSync(join(dataDir, 'posters.json'), 'utf8');
  } catch {
    return [...DEFAULT_POSTERS];
  }
  try {
    return posterFile.parse(JSON.parse(text));
  } catch (error) {
    logger.warn('posters.json is not valid; showing the built-in posters', {
      error: error instanceof Error ? error.message.slice(0, 200) : String(error),
    });
    return [...DEFAULT_POSTERS];
  }
}

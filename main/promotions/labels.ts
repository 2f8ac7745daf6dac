/**
 * The words a shopper reads on the cart, the customer display and the receipt: "满 50 减 5",
 * "第二件半价", "Spend ¥50, save ¥5". A rule's own nameZh / nameEn wins when the shop gave one.
 */
import { FEN_PER_YUAN, formatYuan } from '../contract';
import type { Coupon, PromotionRule } from './schema';

export interface Label {
  zh: string;
  en: string;
}

export type Locale = 'zh-CN' | 'en';

/** Yuan without noise: 5000 -> "50", 4990 -> "49.9", 4995 -> "49.95". */
export function compactYuan(fen: number): string {
  const yuan = Math.floor(fen / FEN_PER_YUAN);
  const cents = fen % FEN_PER_YUAN;
  if (cents === 0) return String(yuan);
  return `${yuan}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

const ZH_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

function zhNumber(n: number): string {
  return ZH_DIGITS[n] ?? String(n);
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${{ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th'}`;
}

/** 20 % off is "8 折" (the price is 8 tenths); 15 % off is "8.5 折". */
function zhe(percentOff: number): string {
  const tenths = (100 - percentOff) / 10;
  return `${tenths} 折`;
}

function tierLabel(minSpendFen: number, offFen: number): Label {
  return {
    zh: `满 ${compactYuan(minSpendFen)} 减 ${compactYuan(offFen)}`,
    en: `Spend ¥${compactYuan(minSpendFen)}, save ¥${compactYuan(offFen)}`,
  };
}

/** `tier` is the index of the spend tier that was reached (stepped 满减); the first by default. */
export function ruleLabel(rule: PromotionRule, tier = 0): Label {
  const made = madeLabel(rule, tier);
  return { zh: rule.nameZh ?? made.zh, en: rule.nameEn ?? made.en };
}

function madeLabel(rule: PromotionRule, tier: number): Label {
  switch (rule.kind) {
    case 'spend_threshold': {
      const t = rule.tiers[tier] ?? rule.tiers[0];
      return t ? tierLabel(t.minSpendFen, t.offFen) : { zh: '满减', en: 'Spend and save' };
    }
    case 'nth_item': {
      const zhN = `第${zhNumber(rule.n)}件`;
      if (rule.percentOff === 50)
        return { zh: `${zhN}半价`, en: `${ordinal(rule.n)} item half price` };
      if (rule.percentOff === 100) return { zh: `${zhN}免费`, en: `${ordinal(rule.n)} item free` };
      return {
        zh: `${zhN} ${zhe(rule.percentOff)}`,
        en: `${ordinal(rule.n)} item ${rule.percentOff}% off`,
      };
    }
    case 'buy_n_get_m':
      return { zh: `买 ${rule.buy} 送 ${rule.get}`, en: `Buy ${rule.buy} get ${rule.get} free` };
    case 'member_price':
      return { zh: '会员价', en: 'Member price' };
    case 'percent_off':
      return { zh: zhe(rule.percentOff), en: `${rule.percentOff}% off` };
    case 'amount_off':
      return rule.perUnit
        ? {
            zh: `每件减 ${compactYuan(rule.amountFen)}`,
            en: `¥${compactYuan(rule.amountFen)} off each`,
          }
        : { zh: `立减 ${compactYuan(rule.amountFen)}`, en: `¥${compactYuan(rule.amountFen)} off` };
  }
}

export function couponLabel(c: Coupon): Label {
  const made = madeCouponLabel(c);
  return { zh: c.nameZh ?? `优惠券 ${made.zh}`, en: c.nameEn ?? `Coupon: ${made.en}` };
}

function madeCouponLabel(c: Coupon): Label {
  switch (c.kind) {
    case 'amount_off':
      return c.minSpendFen > 0
        ? tierLabel(c.minSpendFen, c.amountFen)
        : { zh: `减 ${compactYuan(c.amountFen)}`, en: `¥${compactYuan(c.amountFen)} off` };
    case 'percent_off':
      return { zh: zhe(c.percentOff), en: `${c.percentOff}% off` };
    case 'free_item':
      return { zh: '免费商品', en: 'free item' };
  }
}

/** One receipt or display line: "满 50 减 5 −¥5.00". */
export function savingLine(label: Label, amountFen: number, locale: Locale): string {
  return `${locale === 'zh-CN' ? label.zh : label.en} −${formatYuan(amountFen)}`;
}

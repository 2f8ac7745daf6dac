/**
 * Random carts, rule books and coupons from a seeded generator (pass prng(seed) from
 * ledger/test-support), for the property tests and the benchmark. Everything it makes passes the
 * schemas, so a failure it finds is the engine's, not the generator's.
 */
import {
  parseCart,
  parseCoupons,
  parsePromotions,
  type Coupon,
  type PromoCartLine,
  type PromotionRule,
} from '../schema';

export type Random = () => number;

export const CATEGORIES = ['drinks', 'snacks', 'dairy', 'bakery', 'household'] as const;

function int(random: Random, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[int(random, 0, items.length - 1)] as T;
}

export function skuOf(n: number): string {
  return `sku-${n}`;
}

/** The category a SKU is always in (so a SKU never sits in two categories). */
export function categoryOf(sku: number): string {
  return CATEGORIES[sku % CATEGORIES.length] as string;
}

/** Up to `maxLines` lines over `skuCount` products; the same product may come on several lines. */
export function randomCart(
  random: Random,
  maxLines: number,
  skuCount = 20,
  exactLines = false,
): PromoCartLine[] {
  const count = exactLines ? maxLines : int(random, 1, maxLines);
  const prices = new Map<number, number>();
  const lines: PromoCartLine[] = [];
  for (let i = 0; i < count; i++) {
    const sku = int(random, 1, skuCount);
    if (!prices.has(sku)) prices.set(sku, int(random, 1, 400) * (random() < 0.5 ? 10 : 1));
    lines.push({
      lineNo: i + 1,
      sku: skuOf(sku),
      category: categoryOf(sku),
      qty: random() < 0.6 ? 1 : int(random, 2, 6),
      unitPriceFen: prices.get(sku) as number,
    });
  }
  return parseCart(lines);
}

function randomScope(random: Random, skuCount: number): PromotionRule['scope'] {
  const r = random();
  if (r < 0.3) return undefined;
  if (r < 0.65) return { categories: [pick(random, CATEGORIES)] };
  return { skus: Array.from({ length: int(random, 1, 4) }, () => skuOf(int(random, 1, skuCount))) };
}

export function randomRules(random: Random, count: number, skuCount = 20): PromotionRule[] {
  const rules: unknown[] = [];
  for (let k = 0; k < count; k++) {
    const common = {
      id: `r${String(k).padStart(3, '0')}`,
      scope: randomScope(random, skuCount),
      stacks: random() < 0.5,
      membersOnly: random() < 0.15,
      ...(random() < 0.2
        ? { windows: [{ days: [1, 2, 3, 4, 5], fromTime: '09:00', toTime: '21:00' }] }
        : {}),
    };
    switch (int(random, 0, 5)) {
      case 0: {
        const min1 = int(random, 1, 50) * 100;
        const off1 = int(random, 1, Math.min(20, min1 / 100)) * 100;
        const tiers = [{ minSpendFen: min1, offFen: off1 }];
        if (random() < 0.5)
          tiers.push({
            minSpendFen: min1 * 2,
            offFen: Math.min(min1 * 2, off1 + int(random, 1, 10) * 100),
          });
        rules.push({ ...common, kind: 'spend_threshold', tiers });
        break;
      }
      case 1:
        rules.push({
          ...common,
          kind: 'nth_item',
          n: int(random, 2, 3),
          percentOff: pick(random, [50, 30, 100]),
        });
        break;
      case 2:
        rules.push({ ...common, kind: 'buy_n_get_m', buy: int(random, 1, 3), get: 1 });
        break;
      case 3:
        rules.push({
          ...common,
          scope: undefined,
          kind: 'member_price',
          prices: [
            ...new Set(Array.from({ length: int(random, 1, 5) }, () => int(random, 1, skuCount))),
          ].map((s) => ({ sku: skuOf(s), priceFen: int(random, 1, 300) })),
        });
        break;
      case 4:
        rules.push({ ...common, kind: 'percent_off', percentOff: int(random, 1, 60) });
        break;
      default:
        rules.push({
          ...common,
          kind: 'amount_off',
          amountFen: int(random, 1, 2000),
          perUnit: random() < 0.4,
        });
    }
  }
  return parsePromotions(rules);
}

export function randomCoupons(random: Random, count: number, skuCount = 20): Coupon[] {
  const coupons: unknown[] = [];
  for (let k = 0; k < count; k++) {
    const common = {
      code: `C${k}`,
      minSpendFen: random() < 0.5 ? 0 : int(random, 1, 100) * 100,
      expiresAt: random() < 0.1 ? '2020-01-01T00:00:00Z' : '2099-01-01T00:00:00Z',
      stacks: random() < 0.3,
      ...(random() < 0.3 ? { scope: { categories: [pick(random, CATEGORIES)] } } : {}),
    };
    const r = random();
    if (r < 0.4)
      coupons.push({ ...common, kind: 'amount_off', amountFen: int(random, 1, 30) * 100 });
    else if (r < 0.7)
      coupons.push({
        ...common,
        kind: 'percent_off',
        percentOff: int(random, 5, 30),
        maxOffFen: random() < 0.5 ? 0 : 1000,
      });
    else coupons.push({ ...common, kind: 'free_item', sku: skuOf(int(random, 1, skuCount)) });
  }
  return parseCoupons(coupons);
}

/** Fisher-Yates with the seeded generator. */
export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(random, 0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * Rules and coupons become Offers: one shape the search can evaluate. An offer knows the cart
 * lines it may touch (fixed before any search, so conflicts are known up front) and how much it
 * takes off each of them given what they cost at that point. Every figure is whole fen; an offer
 * never takes more than a line still costs, so no line and no sale goes below zero.
 */
import { allocateProportionally } from '../contract';
import { couponLabel, ruleLabel, type Label } from './labels';
import type { Coupon, PromoCartLine, PromoScope, PromotionKind, PromotionRule } from './schema';

export type OfferKind =
  PromotionKind | 'coupon_amount_off' | 'coupon_percent_off' | 'coupon_free_item';

/**
 * Order in which chosen offers that share lines are applied: unit prices first (member price),
 * then unit deals, then percentages before amounts (the order that leaves the customer more),
 * then what depends on the spend (满减, coupons) on what the items cost after all that.
 */
const APPLY_RANK: Record<OfferKind, number> = {
  member_price: 0,
  nth_item: 1,
  buy_n_get_m: 2,
  coupon_free_item: 2,
  percent_off: 3,
  amount_off: 4,
  spend_threshold: 5,
  coupon_percent_off: 6,
  coupon_amount_off: 7,
};

/** What one offer took, line by line (indices into the cart). */
export interface Taken {
  /** [line index, fen] pairs, fen > 0. */
  parts: [number, number][];
  total: number;
  /** spend_threshold: the tier reached, for the label. */
  tier: number;
}

export interface Offer {
  id: string;
  kind: OfferKind;
  rank: number;
  stacks: boolean;
  /** Indices of the cart lines this offer may discount, ascending (conflicts are judged on these). */
  lines: number[];
  /** Indices of the lines whose cost it reads (a superset of lines: a coupon's minimum spend). */
  reads: number[];
  /**
   * What it takes off each line given what the lines cost now. With detail false only the total
   * is needed (a stand-alone saving), and the largest-remainder split is skipped.
   */
  take(nets: readonly number[], detail?: boolean): Taken;
  label(tier: number): Label;
}

/**
 * round_half_up(a x b / c) for non-negative integers, exact even past 2^53 (BigInt then). While
 * x = 2ab + c is a safe integer, floor(x / 2c) in floating point is exact: x / 2c is at least
 * 1 / 2c away from the next integer, more than half an ulp of a quotient below 2^53 / 2c.
 */
export function mulDivRound(a: number, b: number, c: number): number {
  const product = a * b;
  if (Number.isSafeInteger(product) && Number.isSafeInteger(2 * product + c))
    return Math.floor((2 * product + c) / (2 * c));
  const big = (2n * BigInt(a) * BigInt(b) + BigInt(c)) / (2n * BigInt(c));
  return Number(big);
}

/** The part of a line's net that `units` of its `qty` units carry (rounded half up). */
function unitsShare(net: number, units: number, qty: number): number {
  return units >= qty ? net : mulDivRound(net, units, qty);
}

const NOTHING: Taken = { parts: [], total: 0, tier: 0 };

function sumOf(nets: readonly number[], lines: readonly number[]): number {
  let s = 0;
  for (const i of lines) s += nets[i] ?? 0;
  return s;
}

/** Spreads `amount` (≤ the lines' sum) over the lines by largest remainder on what they cost. */
function spread(
  amount: number,
  nets: readonly number[],
  lines: readonly number[],
  detail = true,
  tier = 0,
): Taken {
  if (amount <= 0) return NOTHING;
  if (!detail) return { parts: [], total: amount, tier };
  const shares = allocateProportionally(
    amount,
    lines.map((i) => nets[i] ?? 0),
  );
  const parts: [number, number][] = [];
  shares.forEach((fen, k) => {
    if (fen > 0) parts.push([lines[k] as number, fen]);
  });
  return { parts, total: amount, tier };
}

/**
 * Makes `free` units free, the cheapest (by what a unit costs now) first, ties to the earlier
 * line. Used by buy N get M and by free-item coupons.
 */
function freeCheapestUnits(
  free: number,
  nets: readonly number[],
  lines: readonly number[],
  cart: readonly PromoCartLine[],
): Taken {
  if (free <= 0) return NOTHING;
  const order = [...lines].sort((a, b) => {
    const qa = cart[a]?.qty ?? 1;
    const qb = cart[b]?.qty ?? 1;
    // Compare unit costs without division: na/qa < nb/qb  <=>  na*qb < nb*qa.
    return (nets[a] ?? 0) * qb - (nets[b] ?? 0) * qa || a - b;
  });
  const parts: [number, number][] = [];
  let left = free;
  let total = 0;
  for (const i of order) {
    if (left === 0) break;
    const q = cart[i]?.qty ?? 0;
    const units = Math.min(left, q);
    const fen = unitsShare(nets[i] ?? 0, units, q);
    left -= units;
    if (fen > 0) {
      parts.push([i, fen]);
      total += fen;
    }
  }
  return { parts, total, tier: 0 };
}

function unitsIn(lines: readonly number[], cart: readonly PromoCartLine[]): number {
  let u = 0;
  for (const i of lines) u += cart[i]?.qty ?? 0;
  return u;
}

/** The cart with its lines indexed by SKU and category, built once per pricing. */
export interface CartView {
  lines: readonly PromoCartLine[];
  bySku: Map<string, number[]>;
  byCategory: Map<string, number[]>;
}

export function viewOf(lines: readonly PromoCartLine[]): CartView {
  const bySku = new Map<string, number[]>();
  const byCategory = new Map<string, number[]>();
  lines.forEach((line, i) => {
    for (const [map, key] of [
      [bySku, line.sku],
      [byCategory, line.category],
    ] as const) {
      const list = map.get(key);
      if (list) list.push(i);
      else map.set(key, [i]);
    }
  });
  return { lines, bySku, byCategory };
}

/** Indices of the lines in scope, ascending (through the index: a scope is usually small). */
function scopeLines(view: CartView, scope: PromoScope | undefined): number[] {
  if (!scope) return view.lines.map((_, i) => i);
  const lists: number[][] = [];
  for (const sku of scope.skus ?? []) {
    const l = view.bySku.get(sku);
    if (l) lists.push(l);
  }
  for (const category of scope.categories ?? []) {
    const l = view.byCategory.get(category);
    if (l) lists.push(l);
  }
  if (lists.length === 1) return lists[0] as number[];
  return [...new Set(lists.flat())].sort((a, b) => a - b);
}

/**
 * Lines of the scope grouped by SKU, for deals on "the same product" (through the cart's SKU
 * index); `keep` drops groups too small to matter. Also returns all kept lines, ascending.
 */
function skuGroups(
  view: CartView,
  scoped: readonly number[],
  keep: (group: number[]) => boolean,
): { groups: number[][]; lines: number[] } {
  const inScope = new Uint8Array(view.lines.length);
  for (const i of scoped) inScope[i] = 1;
  const kept = new Uint8Array(view.lines.length);
  const groups: number[][] = [];
  for (const all of view.bySku.values()) {
    const group = scoped.length === view.lines.length ? all : all.filter((i) => inScope[i] === 1);
    if (group.length === 0 || !keep(group)) continue;
    groups.push(group);
    for (const i of group) kept[i] = 1;
  }
  const lines: number[] = [];
  kept.forEach((k, i) => {
    if (k === 1) lines.push(i);
  });
  return { groups, lines };
}

export function ruleOffer(rule: PromotionRule, view: CartView): Offer {
  const offer = ruleOfferLines(rule, view);
  return { ...offer, reads: offer.lines };
}

function ruleOfferLines(rule: PromotionRule, view: CartView): Omit<Offer, 'reads'> {
  const cart = view.lines;
  const base = {
    id: rule.id,
    kind: rule.kind,
    rank: APPLY_RANK[rule.kind],
    stacks: rule.stacks,
    label: (tier: number) => ruleLabel(rule, tier),
  };
  const scoped = scopeLines(view, rule.scope);
  switch (rule.kind) {
    case 'spend_threshold':
      return {
        ...base,
        lines: scoped,
        take(nets, detail) {
          const spend = sumOf(nets, scoped);
          for (let t = rule.tiers.length - 1; t >= 0; t--) {
            const tier = rule.tiers[t];
            if (tier && spend >= tier.minSpendFen)
              return spread(Math.min(tier.offFen, spend), nets, scoped, detail, t);
          }
          return NOTHING;
        },
      };
    case 'nth_item': {
      const { groups, lines } = skuGroups(view, scoped, (g) => unitsIn(g, cart) >= rule.n);
      return {
        ...base,
        lines,
        take(nets, detail) {
          const parts: [number, number][] = [];
          let total = 0;
          for (const g of groups) {
            const units = unitsIn(g, cart);
            const discounted = Math.floor(units / rule.n);
            // The discounted units' share of what the group costs now, at percentOff.
            const fen = mulDivRound(sumOf(nets, g), discounted * rule.percentOff, units * 100);
            const taken = spread(fen, nets, g, detail);
            parts.push(...taken.parts);
            total += taken.total;
          }
          return { parts, total, tier: 0 };
        },
      };
    }
    case 'buy_n_get_m': {
      const units = unitsIn(scoped, cart);
      const free = Math.floor(units / (rule.buy + rule.get)) * rule.get;
      return {
        ...base,
        lines: free > 0 ? scoped : [],
        take: (nets) => freeCheapestUnits(free, nets, scoped, cart),
      };
    }
    case 'member_price': {
      const price = new Map(rule.prices.map((p) => [p.sku, p.priceFen]));
      const priced = skuGroups(view, scoped, (g) => price.has(cart[g[0] as number]?.sku ?? ''));
      // Only where the member price is below the shelf price (each line's own snapshot).
      const lines = priced.lines.filter(
        (i) => (price.get(cart[i]?.sku ?? '') as number) < (cart[i]?.unitPriceFen ?? 0),
      );
      return {
        ...base,
        lines,
        take(nets) {
          const parts: [number, number][] = [];
          let total = 0;
          for (const i of lines) {
            const line = cart[i] as PromoCartLine;
            const net = nets[i] ?? 0;
            const fen = Math.min(net, Math.max(0, net - line.qty * (price.get(line.sku) ?? 0)));
            if (fen > 0) {
              parts.push([i, fen]);
              total += fen;
            }
          }
          return { parts, total, tier: 0 };
        },
      };
    }
    case 'percent_off':
      return {
        ...base,
        lines: scoped,
        take: (nets, detail) =>
          spread(mulDivRound(sumOf(nets, scoped), rule.percentOff, 100), nets, scoped, detail),
      };
    case 'amount_off':
      return {
        ...base,
        lines: scoped,
        take(nets, detail) {
          if (!rule.perUnit)
            return spread(Math.min(rule.amountFen, sumOf(nets, scoped)), nets, scoped, detail);
          const parts: [number, number][] = [];
          let total = 0;
          for (const i of scoped) {
            const fen = Math.min(nets[i] ?? 0, (cart[i]?.qty ?? 0) * rule.amountFen);
            if (fen > 0) {
              parts.push([i, fen]);
              total += fen;
            }
          }
          return { parts, total, tier: 0 };
        },
      };
  }
}

export const COUPON_ID_PREFIX = 'coupon:';

export function couponOffer(c: Coupon, view: CartView): Offer {
  const offer = couponOfferLines(c, view);
  // A free-item coupon discounts its product's lines but reads the whole scope's spend.
  return {
    ...offer,
    reads: c.kind === 'free_item' && c.minSpendFen > 0 ? scopeLines(view, c.scope) : offer.lines,
  };
}

function couponOfferLines(c: Coupon, view: CartView): Omit<Offer, 'reads'> {
  const cart = view.lines;
  const scoped = scopeLines(view, c.scope);
  const kind: OfferKind = `coupon_${c.kind}`;
  const base = {
    id: `${COUPON_ID_PREFIX}${c.code}`,
    kind,
    rank: APPLY_RANK[kind],
    stacks: c.stacks,
    label: () => couponLabel(c),
  };
  switch (c.kind) {
    case 'amount_off':
      return {
        ...base,
        lines: scoped,
        take(nets, detail) {
          const spend = sumOf(nets, scoped);
          return spend >= Math.max(1, c.minSpendFen)
            ? spread(Math.min(c.amountFen, spend), nets, scoped, detail)
            : NOTHING;
        },
      };
    case 'percent_off':
      return {
        ...base,
        lines: scoped,
        take(nets, detail) {
          const spend = sumOf(nets, scoped);
          if (spend < Math.max(1, c.minSpendFen)) return NOTHING;
          const fen = mulDivRound(spend, c.percentOff, 100);
          return spread(c.maxOffFen > 0 ? Math.min(fen, c.maxOffFen) : fen, nets, scoped, detail);
        },
      };
    case 'free_item': {
      const lines = scoped.filter((i) => cart[i]?.sku === c.sku);
      return {
        ...base,
        lines,
        take(nets) {
          return c.minSpendFen === 0 || sumOf(nets, scoped) >= c.minSpendFen
            ? freeCheapestUnits(1, nets, lines, cart)
            : NOTHING;
        },
      };
    }
  }
}

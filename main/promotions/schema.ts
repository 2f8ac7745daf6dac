/**
 * What a promotion, a coupon and a priced cart look like, as zod schemas with the TypeScript types
 * inferred from them. Everything that reaches the engine goes through parsePromotions /
 * parseCoupons / parseCart first, so the engine itself can trust its input: a bad rule is
 * refused with a PosError naming the field, and nothing else is lost.
 */
import { z } from 'zod';
import { MAX_LINES, PosError, amountFen, id, qty, shortText, toPosError } from '../contract';

const percentOff = z
  .number()
  .int('percent off must be a whole number')
  .min(1, 'percent off must be at least 1')
  .max(100, 'percent off must be at most 100');

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (00:00-23:59)');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/**
 * When a rule is on, in the shop's time zone. Every part is optional and all given parts must
 * hold: a date range (inclusive), days of the week (1 = Monday ... 7 = Sunday), and daily hours
 * [from, to) — `to` before `from` means overnight (22:00-02:00).
 */
export const promoWindow = z
  .object({
    fromDate: isoDate.optional(),
    toDate: isoDate.optional(),
    days: z
      .array(z.number().int().min(1, 'days are 1 (Monday) to 7').max(7, 'days are 1 to 7 (Sunday)'))
      .min(1, 'give at least one day, or leave days out')
      .refine((d) => new Set(d).size === d.length, 'a day is listed twice')
      .optional(),
    fromTime: hhmm.optional(),
    toTime: hhmm.optional(),
  })
  .refine((w) => w.fromDate === undefined || w.toDate === undefined || w.fromDate <= w.toDate, {
    message: 'the window ends (toDate) before it starts (fromDate)',
    path: ['toDate'],
  })
  .refine((w) => (w.fromTime === undefined) === (w.toTime === undefined), {
    message: 'give both fromTime and toTime, or neither',
    path: ['toTime'],
  })
  .refine((w) => w.fromTime === undefined || w.fromTime !== w.toTime, {
    message: 'fromTime equals toTime: the window would be empty',
    path: ['toTime'],
  });
export type PromoWindow = z.infer<typeof promoWindow>;

/** Which lines a rule looks at: the whole cart, or lines whose SKU or category is listed. */
export const promoScope = z
  .object({
    skus: z.array(id).max(1000).optional(),
    categories: z.array(shortText).max(200).optional(),
  })
  .refine((s) => (s.skus?.length ?? 0) + (s.categories?.length ?? 0) > 0, {
    message: 'a scope names at least one SKU or category (leave it out for the whole cart)',
  });
export type PromoScope = z.infer<typeof promoScope>;

const common = {
  id,
  /** Optional names for screens and receipts; the engine makes them from the rule otherwise. */
  nameZh: shortText.optional(),
  nameEn: shortText.optional(),
  /** Leave out for the whole cart. */
  scope: promoScope.optional(),
  /** The rule is on while any window holds; none means always. */
  windows: z.array(promoWindow).max(20).optional(),
  membersOnly: z.boolean().default(false),
  /**
   * Whether this rule may share a line with other rules. A rule that does not stack is never
   * applied to a line another chosen rule also discounts (see README, "Stacking").
   */
  stacks: z.boolean().default(false),
};

const tier = z.object({
  minSpendFen: amountFen.min(1, 'minimum spend must be positive'),
  offFen: amountFen.min(1, 'the saving must be positive'),
});

/** 满减, stepped: 满 50 减 5 / 满 100 减 12 — the highest tier reached applies. */
export const spendThresholdRule = z
  .object({
    ...common,
    kind: z.literal('spend_threshold'),
    tiers: z.array(tier).min(1, 'give at least one tier').max(20),
  })
  .superRefine((rule, ctx) => {
    rule.tiers.forEach((t, i) => {
      if (t.offFen > t.minSpendFen)
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'offFen'],
          message: `saving ${t.offFen} fen exceeds the ${t.minSpendFen} fen spend that earns it: the sale could go negative`,
        });
      const prev = rule.tiers[i - 1];
      if (prev && (t.minSpendFen <= prev.minSpendFen || t.offFen <= prev.offFen))
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i],
          message:
            'tiers must rise: each needs a higher spend and a higher saving than the one before',
        });
    });
  });

/** 第二件半价: every nth unit of the same product at percentOff. */
export const nthItemRule = z.object({
  ...common,
  kind: z.literal('nth_item'),
  n: z.number().int().min(2, 'n must be at least 2').max(99),
  percentOff,
});

/** 买 N 送 M: of every N + M units in scope, the M cheapest are free. */
export const buyNGetMRule = z.object({
  ...common,
  kind: z.literal('buy_n_get_m'),
  buy: z.number().int().min(1).max(99),
  get: z.number().int().min(1).max(99),
});

/** 会员价: a member pays these unit prices (a price above the shelf price is ignored). */
export const memberPriceRule = z.object({
  ...common,
  kind: z.literal('member_price'),
  prices: z
    .array(z.object({ sku: id, priceFen: amountFen }))
    .min(1)
    .max(5000)
    .refine((p) => new Set(p.map((x) => x.sku)).size === p.length, 'a SKU is priced twice'),
});

/** Percentage off the scope (打折: 20 % off = 8 折). */
export const percentOffRule = z.object({
  ...common,
  kind: z.literal('percent_off'),
  percentOff,
});

/** An amount off the scope as a whole, or off each unit in it. */
export const amountOffRule = z.object({
  ...common,
  kind: z.literal('amount_off'),
  amountFen: amountFen.min(1, 'the saving must be positive'),
  perUnit: z.boolean().default(false),
});

export const promotionRule = z.discriminatedUnion('kind', [
  spendThresholdRule,
  nthItemRule,
  buyNGetMRule,
  memberPriceRule,
  percentOffRule,
  amountOffRule,
]);
export type PromotionRule = z.infer<typeof promotionRule>;
export type PromotionKind = PromotionRule['kind'];

const couponCommon = {
  /** The coupon's code as issued; unique among the coupons offered for one sale. */
  code: id,
  nameZh: shortText.optional(),
  nameEn: shortText.optional(),
  scope: promoScope.optional(),
  /** Spend (in scope, after item promotions) needed to use it; 0 = none. */
  minSpendFen: amountFen.default(0),
  /** ISO instant after which the coupon is void. */
  expiresAt: z.iso.datetime({ offset: true, message: 'expected an ISO date-time' }),
  stacks: z.boolean().default(false),
};

export const coupon = z.discriminatedUnion('kind', [
  z.object({ ...couponCommon, kind: z.literal('amount_off'), amountFen: amountFen.min(1) }),
  z.object({
    ...couponCommon,
    kind: z.literal('percent_off'),
    percentOff,
    /** Caps the saving (0 = no cap). */
    maxOffFen: amountFen.default(0),
  }),
  z.object({ ...couponCommon, kind: z.literal('free_item'), sku: id }),
]);
export type Coupon = z.infer<typeof coupon>;

/** A cart line as the engine sees it: what, how many, at what shelf price. */
export const promoCartLine = z.object({
  lineNo: z.number().int().min(1),
  sku: id,
  category: shortText,
  qty,
  unitPriceFen: amountFen,
});
export type PromoCartLine = z.infer<typeof promoCartLine>;

export const promoCart = z
  .array(promoCartLine)
  .max(MAX_LINES)
  .refine(
    (lines) => new Set(lines.map((l) => l.lineNo)).size === lines.length,
    'a line number is used twice',
  );

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw toPosError(result.error, field);
  return result.data;
}

/** Validates a rule book; ids must be unique (a coupon's rule id is `coupon:CODE`). */
export function parsePromotions(value: unknown): PromotionRule[] {
  const rules = parseOrThrow(z.array(promotionRule).max(1000), value, 'rules');
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    if (seen.has(rule.id))
      throw new PosError(
        'VALIDATION',
        `rules.${i}.id: rule id ${rule.id} is used twice`,
        `rules.${i}.id`,
      );
    if (rule.id.startsWith('coupon:'))
      throw new PosError(
        'VALIDATION',
        `rules.${i}.id: ids starting coupon: are kept for coupons`,
        `rules.${i}.id`,
      );
    seen.add(rule.id);
  });
  return rules;
}

export function parseCoupons(value: unknown): Coupon[] {
  const coupons = parseOrThrow(z.array(coupon).max(50), value, 'coupons');
  const seen = new Set<string>();
  coupons.forEach((c, i) => {
    if (seen.has(c.code))
      throw new PosError(
        'VALIDATION',
        `coupons.${i}.code: coupon ${c.code} is offered twice`,
        `coupons.${i}.code`,
      );
    seen.add(c.code);
  });
  return coupons;
}

export function parseCart(value: unknown): PromoCartLine[] {
  return parseOrThrow(promoCart, value, 'cart');
}

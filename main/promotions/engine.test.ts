/**
 * The engine on carts a shop would recognise: each rule kind, windows, members, stacking and
 * conflicts, coupons, and the search's choice when the obvious pick is not the best one.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  EXACT_SEARCH_WORK,
  priceWithPromotions,
  type PriceOptions,
  type PromoPricing,
} from './engine';
import { savingLine } from './labels';
import { mulDivRound } from './offers';
import { parseCart, parseCoupons, parsePromotions, type PromoCartLine } from './schema';

/** Wednesday 2026-12-02, 12:00 in Shanghai. */
const WED_NOON = new Date('2026-12-02T04:00:00Z');
const WED_3PM = new Date('2026-12-02T07:00:00Z');
const SAT_NOON = new Date('2026-12-05T04:00:00Z');
const GUEST: PriceOptions = { member: false, now: WED_NOON };
const MEMBER: PriceOptions = { member: true, now: WED_NOON };

let nextLine = 1;
function line(sku: string, unitPriceFen: number, qty = 1, category = 'grocery'): PromoCartLine {
  return { lineNo: nextLine++, sku, category, qty, unitPriceFen };
}
function cartOf(...lines: PromoCartLine[]): PromoCartLine[] {
  nextLine = 1;
  return lines.map((l, i) => ({ ...l, lineNo: i + 1 }));
}

function nets(result: PromoPricing): number[] {
  return result.lines.map((l) => l.netFen);
}
function appliedIds(result: PromoPricing): string[] {
  return result.applied.map((a) => a.ruleId);
}
function skipOf(result: PromoPricing, id: string): string | undefined {
  return result.skipped.find((s) => s.ruleId === id)?.reason;
}

describe('rule kinds', () => {
  const stepped = parsePromotions([
    {
      id: 'spend',
      kind: 'spend_threshold',
      tiers: [
        { minSpendFen: 5000, offFen: 500 },
        { minSpendFen: 10000, offFen: 1200 },
      ],
    },
  ]);

  test('满减, stepped: the highest tier reached applies, spread over the lines by what they cost', () => {
    const under = priceWithPromotions(cartOf(line('a', 4999)), stepped, GUEST);
    assert.equal(under.discountFen, 0);
    assert.equal(skipOf(under, 'spend'), 'no_saving');

    const fifty = priceWithPromotions(cartOf(line('a', 3000), line('b', 2500)), stepped, GUEST);
    assert.equal(fifty.discountFen, 500);
    assert.deepEqual(nets(fifty), [3000 - 273, 2500 - 227]); // 500 x 30/55 = 272.7, 227.3
    assert.equal(savingLine(fifty.applied[0]!.label, 500, 'zh-CN'), '满 50 减 5 −¥5.00');
    assert.equal(savingLine(fifty.applied[0]!.label, 500, 'en'), 'Spend ¥50, save ¥5 −¥5.00');

    const hundred = priceWithPromotions(cartOf(line('a', 3333, 3), line('b', 1)), stepped, GUEST);
    assert.equal(hundred.discountFen, 1200);
    assert.equal(hundred.applied[0]!.label.zh, '满 100 减 12');
    assert.equal(hundred.totalFen, 9999 + 1 - 1200);
  });

  test('第二件半价: every second unit of the same product at half price', () => {
    const rules = parsePromotions([
      { id: 'half', kind: 'nth_item', n: 2, percentOff: 50, scope: { skus: ['cola'] } },
    ]);
    // 3 colas over two lines (one unit discounted) and something out of scope.
    const r = priceWithPromotions(
      cartOf(line('cola', 300, 2), line('cola', 300), line('chips', 800)),
      rules,
      GUEST,
    );
    assert.equal(r.discountFen, 150);
    assert.deepEqual(nets(r), [600 - 100, 300 - 50, 800]);
    assert.deepEqual(r.applied[0]!.label, { zh: '第二件半价', en: '2nd item half price' });
    // One cola is not enough.
    assert.equal(
      skipOf(priceWithPromotions(cartOf(line('cola', 300)), rules, GUEST), 'half'),
      'not_in_cart',
    );
  });

  test('买 2 送 1: of every three units in scope the cheapest is free', () => {
    const rules = parsePromotions([
      { id: 'b2g1', kind: 'buy_n_get_m', buy: 2, get: 1, scope: { categories: ['snacks'] } },
    ]);
    const r = priceWithPromotions(
      cartOf(
        line('chips', 800, 1, 'snacks'),
        line('nuts', 1500, 1, 'snacks'),
        line('gum', 300, 1, 'snacks'),
        line('milk', 200),
      ),
      rules,
      GUEST,
    );
    assert.deepEqual(nets(r), [800, 1500, 0, 200]);
    assert.equal(r.applied[0]!.label.zh, '买 2 送 1');
  });

  test('member price: only for members, and only where it is lower than the shelf price', () => {
    const rules = parsePromotions([
      {
        id: 'mp',
        kind: 'member_price',
        prices: [
          { sku: 'milk', priceFen: 450 },
          { sku: 'egg', priceFen: 999 },
        ],
      },
    ]);
    const cart = cartOf(line('milk', 500, 2), line('egg', 800));
    assert.equal(priceWithPromotions(cart, rules, MEMBER).totalFen, 900 + 800);
    const guest = priceWithPromotions(cart, rules, GUEST);
    assert.equal(guest.totalFen, 1800);
    assert.equal(skipOf(guest, 'mp'), 'members_only');
  });

  test('percentage off a category, rounded once on the scope and spread exactly', () => {
    const rules = parsePromotions([
      { id: 'dairy20', kind: 'percent_off', percentOff: 20, scope: { categories: ['dairy'] } },
    ]);
    const r = priceWithPromotions(
      cartOf(line('milk', 333, 1, 'dairy'), line('yogurt', 333, 1, 'dairy'), line('bread', 1000)),
      rules,
      GUEST,
    );
    assert.equal(r.discountFen, 133); // 20 % of 666 = 133.2
    assert.deepEqual(nets(r), [333 - 67, 333 - 66, 1000]); // ties go to the earlier line
    assert.deepEqual(r.applied[0]!.label, { zh: '8 折', en: '20% off' });
  });

  test('an amount off bigger than the line stops at zero: no line and no sale goes negative', () => {
    const rules = parsePromotions([
      { id: 'each', kind: 'amount_off', amountFen: 1000, perUnit: true, scope: { skus: ['gum'] } },
      { id: 'flat', kind: 'amount_off', amountFen: 99999, scope: { skus: ['chips'] } },
    ]);
    const r = priceWithPromotions(
      cartOf(line('gum', 300, 3), line('chips', 800), line('milk', 500)),
      rules,
      GUEST,
    );
    assert.deepEqual(nets(r), [0, 0, 500]);
    assert.equal(r.totalFen, 500);
    assert.equal(r.applied.find((a) => a.ruleId === 'flat')?.amountFen, 800);
  });
});

describe('time windows and members-only', () => {
  const rules = parsePromotions([
    // Two promotions on drinks whose windows overlap at weekday lunchtime; neither stacks.
    {
      id: 'drinks-weekdays',
      kind: 'percent_off',
      percentOff: 10,
      scope: { categories: ['drinks'] },
      windows: [{ days: [1, 2, 3, 4, 5] }],
    },
    {
      id: 'drinks-lunch',
      kind: 'percent_off',
      percentOff: 30,
      scope: { categories: ['drinks'] },
      windows: [
        { fromTime: '11:00', toTime: '14:00', fromDate: '2026-12-01', toDate: '2026-12-31' },
      ],
    },
    {
      id: 'night',
      kind: 'amount_off',
      amountFen: 100,
      windows: [{ fromTime: '22:00', toTime: '02:00' }],
      stacks: true,
    },
    {
      id: 'vip',
      kind: 'amount_off',
      amountFen: 200,
      membersOnly: true,
      scope: { skus: ['bread'] },
    },
  ]);
  const cart = cartOf(line('tea', 1000, 1, 'drinks'), line('bread', 1000));

  test('where windows overlap, the better of two non-stacking promotions wins and the other is named', () => {
    const r = priceWithPromotions(cart, rules, GUEST);
    assert.deepEqual(appliedIds(r), ['drinks-lunch']);
    assert.deepEqual(
      r.skipped.find((s) => s.ruleId === 'drinks-weekdays'),
      {
        ruleId: 'drinks-weekdays',
        reason: 'conflict',
        conflictsWith: 'drinks-lunch',
        label: { zh: '9 折', en: '10% off' },
      },
    );
    assert.equal(skipOf(r, 'night'), 'not_active');
    assert.equal(skipOf(r, 'vip'), 'members_only');
  });

  test('outside the lunch window the weekday promotion applies; at the weekend neither', () => {
    assert.deepEqual(appliedIds(priceWithPromotions(cart, rules, { ...GUEST, now: WED_3PM })), [
      'drinks-weekdays',
    ]);
    const sat = priceWithPromotions(cart, rules, { ...GUEST, now: SAT_NOON });
    assert.equal(skipOf(sat, 'drinks-weekdays'), 'not_active');
    // 2026-12-05 is inside the lunch rule's date range and it has no days: it applies.
    assert.deepEqual(appliedIds(sat), ['drinks-lunch']);
    const january = priceWithPromotions(cart, rules, {
      ...GUEST,
      now: new Date('2027-01-02T04:00:00Z'),
    });
    assert.equal(skipOf(january, 'drinks-lunch'), 'not_active');
  });

  test('an overnight window holds on both sides of midnight, in the shop’s time zone', () => {
    // Bread only: on the tea line the 10 % weekday deal (which does not stack) would tie with it.
    const bread = cartOf(line('bread', 1000));
    const at = (iso: string, timeZone?: string) =>
      priceWithPromotions(bread, rules, {
        ...GUEST,
        now: new Date(iso),
        ...(timeZone ? { timeZone } : {}),
      });
    assert.ok(appliedIds(at('2026-12-02T15:30:00Z')).includes('night')); // 23:30 Shanghai
    assert.ok(appliedIds(at('2026-12-02T17:59:00Z')).includes('night')); // 01:59
    assert.ok(!appliedIds(at('2026-12-02T18:00:00Z')).includes('night')); // 02:00, the end is open
    // The same instant in London is 15:30: the window is shut there.
    assert.ok(!appliedIds(at('2026-12-02T15:30:00Z', 'Europe/London')).includes('night'));
  });
});

describe('stacking and the best combination', () => {
  test('stacking rules share a line: percentage first, then the amount, on what is left', () => {
    const rules = parsePromotions([
      { id: 'z-amount', kind: 'amount_off', amountFen: 100, stacks: true },
      { id: 'a-percent', kind: 'percent_off', percentOff: 10, stacks: true },
    ]);
    const r = priceWithPromotions(cartOf(line('x', 2000)), rules, GUEST);
    assert.deepEqual(appliedIds(r), ['a-percent', 'z-amount']);
    assert.deepEqual(r.lines[0]!.allocations, [
      { ruleId: 'a-percent', amountFen: 200 },
      { ruleId: 'z-amount', amountFen: 100 },
    ]);
    assert.equal(r.totalFen, 1700);
  });

  test('one non-stacking rule excludes others on its lines only', () => {
    const rules = parsePromotions([
      { id: 'solo', kind: 'percent_off', percentOff: 50, scope: { skus: ['a'] } },
      { id: 'all', kind: 'amount_off', amountFen: 100, perUnit: true, stacks: true },
    ]);
    const r = priceWithPromotions(cartOf(line('a', 1000), line('b', 1000)), rules, GUEST);
    // 'all' touches line a, where 'solo' will not share: one or the other. A rule applies to its
    // whole scope or not at all, so 'all' (200) loses to 'solo' (500) and line b stays full price.
    assert.deepEqual(appliedIds(r), ['solo']);
    assert.equal(r.totalFen, 500 + 1000);
  });

  test('equal savings: the rule with the smaller id wins, whatever order the rules come in', () => {
    const book = [
      { id: 'b', kind: 'amount_off', amountFen: 300 },
      { id: 'a', kind: 'amount_off', amountFen: 300 },
    ];
    for (const order of [book, [...book].reverse()]) {
      const r = priceWithPromotions(cartOf(line('x', 1000)), parsePromotions(order), GUEST);
      assert.deepEqual(appliedIds(r), ['a']);
      assert.equal(skipOf(r, 'b'), 'conflict');
    }
  });

  test('an item deal that would drop the spend under a 满减 tier is left out when that costs more', () => {
    const rules = parsePromotions([
      { id: 'item', kind: 'amount_off', amountFen: 100, stacks: true, scope: { skus: ['wine'] } },
      {
        id: 'spend',
        kind: 'spend_threshold',
        stacks: true,
        tiers: [{ minSpendFen: 5000, offFen: 1000 }],
      },
    ]);
    const r = priceWithPromotions(cartOf(line('wine', 5000)), rules, GUEST);
    assert.deepEqual(appliedIds(r), ['spend']);
    assert.equal(r.totalFen, 4000);
    assert.equal(skipOf(r, 'item'), 'not_best');
    // With more in the cart both fit, and both apply: the item deal first, 满减 on the rest.
    const both = priceWithPromotions(cartOf(line('wine', 5000), line('x', 500)), rules, GUEST);
    assert.deepEqual(appliedIds(both), ['item', 'spend']);
    assert.equal(both.totalFen, 5500 - 100 - 1000);
  });

  test('several small stacking deals beat one big exclusive one when they save more together', () => {
    const rules = parsePromotions([
      { id: 'big', kind: 'amount_off', amountFen: 500 },
      { id: 's1', kind: 'amount_off', amountFen: 300, stacks: true, scope: { skus: ['a'] } },
      { id: 's2', kind: 'amount_off', amountFen: 300, stacks: true, scope: { skus: ['b'] } },
    ]);
    const r = priceWithPromotions(cartOf(line('a', 1000), line('b', 1000)), rules, GUEST);
    assert.deepEqual(appliedIds(r).sort(), ['s1', 's2']);
    assert.equal(r.search, 'exhaustive');
  });

  test('past the search budget the greedy pick is used, and says so', () => {
    // 16 rules that all stack, over 4 lines: 2^16 combinations x 4 lines is past the budget.
    const many = Array.from({ length: 16 }, (_, k) => ({
      id: `r${String(k).padStart(2, '0')}`,
      kind: 'amount_off',
      amountFen: 10 + k,
      stacks: true,
    }));
    assert.ok(2 ** 16 * 4 > EXACT_SEARCH_WORK);
    const cart = cartOf(line('a', 1000), line('b', 1000), line('c', 1000), line('d', 1000));
    const r = priceWithPromotions(cart, parsePromotions(many), GUEST);
    assert.equal(r.search, 'greedy');
    assert.equal(r.applied.length, 16);
    // Make every other rule exclusive and the conflict-free sets are few: exact again.
    const exclusive = many.map((rule, k) => ({ ...rule, stacks: k % 2 === 0 }));
    const e = priceWithPromotions(cart, parsePromotions(exclusive), GUEST);
    assert.equal(e.search, 'exhaustive'); // 2^8 + 8 sets x 4 lines
    // Best: the 8 stacking ones (10+12+...+24 = 136) beat any exclusive one (at most 25).
    assert.deepEqual(appliedIds(e), ['r00', 'r02', 'r04', 'r06', 'r08', 'r10', 'r12', 'r14']);
  });

  test('greedy also tries the stacking deals first: many small ones can beat one big exclusive one', () => {
    const cart = cartOf(line('a', 1000), line('b', 1000), line('c', 1000), line('d', 1000));
    const small = Array.from({ length: 16 }, (_, k) => ({
      id: `s${String(k).padStart(2, '0')}`,
      kind: 'amount_off',
      amountFen: 40,
      stacks: true,
      scope: { skus: [['a', 'b', 'c', 'd'][k % 4]] },
    }));
    const rules = parsePromotions([{ id: 'big', kind: 'amount_off', amountFen: 500 }, ...small]);
    const r = priceWithPromotions(cart, rules, GUEST);
    assert.equal(r.search, 'greedy');
    // Largest first would take 'big' (500) and shut out all sixteen; together they save 640.
    assert.equal(r.discountFen, 640);
    assert.equal(r.applied.length, 16);
    assert.equal(r.skipped.find((x) => x.ruleId === 'big')?.reason, 'conflict');
  });

  test('offers on different lines are optimised separately, each exhaustively', () => {
    const per = (sku: string) =>
      Array.from({ length: 8 }, (_, k) => ({
        id: `${sku}${k}`,
        kind: 'amount_off',
        amountFen: 10 + k,
        scope: { skus: [sku] },
      }));
    const r = priceWithPromotions(
      cartOf(line('a', 1000), line('b', 1000)),
      parsePromotions([...per('a'), ...per('b')]),
      GUEST,
    );
    assert.equal(r.search, 'exhaustive');
    assert.deepEqual(appliedIds(r), ['a7', 'b7']);
  });
});

describe('coupons', () => {
  const cart = cartOf(line('milk', 3000, 1, 'dairy'), line('chips', 2000, 1, 'snacks'));
  const expiresAt = '2026-12-31T23:59:59+08:00';

  test('coupons that do not stack: the better one is used, the other is named with its rival', () => {
    const coupons = parseCoupons([
      { code: 'TEN', kind: 'amount_off', amountFen: 1000, minSpendFen: 4000, expiresAt },
      { code: 'PCT', kind: 'percent_off', percentOff: 15, expiresAt },
    ]);
    const r = priceWithPromotions(cart, [], { ...GUEST, coupons });
    assert.deepEqual(appliedIds(r), ['coupon:TEN']);
    assert.equal(r.totalFen, 4000);
    assert.deepEqual(r.applied[0]!.label, {
      zh: '优惠券 满 40 减 10',
      en: 'Coupon: Spend ¥40, save ¥10',
    });
    assert.equal(r.skipped[0]?.conflictsWith, 'coupon:TEN');
  });

  test('a coupon’s minimum spend counts what the items cost after item promotions', () => {
    const rules = parsePromotions([
      {
        id: 'milk-off',
        kind: 'amount_off',
        amountFen: 500,
        stacks: true,
        scope: { skus: ['milk'] },
      },
    ]);
    const coupons = parseCoupons([
      {
        code: 'TEN',
        kind: 'amount_off',
        amountFen: 1000,
        minSpendFen: 5000,
        expiresAt,
        stacks: true,
      },
    ]);
    const r = priceWithPromotions(cart, rules, { ...GUEST, coupons });
    // Both cannot fit (4500 < 5000): the coupon alone saves more.
    assert.deepEqual(appliedIds(r), ['coupon:TEN']);
    assert.equal(skipOf(r, 'milk-off'), 'not_best');
  });

  test('expired, unmet and free-item coupons', () => {
    const coupons = parseCoupons([
      { code: 'OLD', kind: 'amount_off', amountFen: 500, expiresAt: '2026-12-01T00:00:00Z' },
      { code: 'BIG', kind: 'amount_off', amountFen: 500, minSpendFen: 99900, expiresAt },
      { code: 'FREE', kind: 'free_item', sku: 'chips', expiresAt, stacks: true },
      {
        code: 'CAP',
        kind: 'percent_off',
        percentOff: 50,
        maxOffFen: 300,
        expiresAt,
        stacks: true,
        scope: { categories: ['dairy'] },
      },
    ]);
    const r = priceWithPromotions(cart, [], { ...GUEST, coupons });
    assert.equal(skipOf(r, 'coupon:OLD'), 'expired');
    assert.equal(skipOf(r, 'coupon:BIG'), 'no_saving');
    assert.deepEqual(nets(r), [3000 - 300, 0]);
  });
});

describe('bad input is refused with the field named, and nothing else changes', () => {
  const cases: [string, unknown, RegExp][] = [
    [
      'a 满减 that gives more than is spent',
      [{ id: 'x', kind: 'spend_threshold', tiers: [{ minSpendFen: 500, offFen: 1000 }] }],
      /rules\.0\.tiers\.0\.offFen: saving 1000 fen exceeds the 500 fen spend/,
    ],
    [
      'tiers that do not rise',
      [
        {
          id: 'x',
          kind: 'spend_threshold',
          tiers: [
            { minSpendFen: 5000, offFen: 500 },
            { minSpendFen: 4000, offFen: 600 },
          ],
        },
      ],
      /rules\.0\.tiers\.1: tiers must rise/,
    ],
    [
      'a window that ends before it starts',
      [
        {
          id: 'x',
          kind: 'percent_off',
          percentOff: 10,
          windows: [{ fromDate: '2026-12-31', toDate: '2026-12-01' }],
        },
      ],
      /rules\.0\.windows\.0\.toDate: the window ends/,
    ],
    [
      'an empty daily window',
      [
        {
          id: 'x',
          kind: 'percent_off',
          percentOff: 10,
          windows: [{ fromTime: '10:00', toTime: '10:00' }],
        },
      ],
      /would be empty/,
    ],
    [
      'a bad hour',
      [
        {
          id: 'x',
          kind: 'percent_off',
          percentOff: 10,
          windows: [{ fromTime: '24:00', toTime: '10:00' }],
        },
      ],
      /fromTime: expected HH:MM/,
    ],
    [
      'a day that does not exist',
      [{ id: 'x', kind: 'percent_off', percentOff: 10, windows: [{ days: [0] }] }],
      /days\.0: days are 1/,
    ],
    [
      'a percentage over 100',
      [{ id: 'x', kind: 'percent_off', percentOff: 120 }],
      /percentOff: percent off must be at most 100/,
    ],
    [
      'a fractional amount',
      [{ id: 'x', kind: 'amount_off', amountFen: 1.5 }],
      /amountFen: amount must be whole fen/,
    ],
    [
      'an empty scope',
      [{ id: 'x', kind: 'percent_off', percentOff: 10, scope: {} }],
      /rules\.0\.scope: a scope names at least one/,
    ],
    [
      'an id used twice',
      [
        { id: 'x', kind: 'percent_off', percentOff: 10 },
        { id: 'x', kind: 'amount_off', amountFen: 1 },
      ],
      /rules\.1\.id: rule id x is used twice/,
    ],
    ['an unknown kind', [{ id: 'x', kind: 'free_money' }], /rules\.0\.kind/],
  ];
  for (const [what, input, message] of cases)
    test(what, () => {
      assert.throws(
        () => parsePromotions(input),
        (e: Error & { code?: string }) => e.code === 'VALIDATION' && message.test(e.message),
      );
    });

  test('coupons: a bad expiry, a code offered twice', () => {
    assert.throws(
      () => parseCoupons([{ code: 'A', kind: 'amount_off', amountFen: 100, expiresAt: 'soon' }]),
      /coupons\.0\.expiresAt: expected an ISO date-time/,
    );
    const c = { code: 'A', kind: 'amount_off', amountFen: 100, expiresAt: '2026-12-31T00:00:00Z' };
    assert.throws(() => parseCoupons([c, c]), /coupons\.1\.code: coupon A is offered twice/);
  });
});

describe('arithmetic at the limits', () => {
  test('mulDivRound rounds half up and stays exact past 2^53', () => {
    assert.equal(mulDivRound(5, 1, 2), 3);
    assert.equal(mulDivRound(4, 1, 3), 1);
    // 10^8 fen lines x 9,999 units x 100 %: the product is past 2^53, the answer is not.
    assert.equal(mulDivRound(100_000_000 * 500, 9_999 * 100, 9_999 * 100), 50_000_000_000);
    assert.equal(mulDivRound(2 ** 53, 3, 6), 2 ** 52);
  });

  test('a cart of ¥1,000,000 lines keeps every fen', () => {
    const rules = parsePromotions([
      { id: 'p', kind: 'percent_off', percentOff: 33, stacks: true },
      { id: 'h', kind: 'nth_item', n: 2, percentOff: 50, stacks: true },
    ]);
    const cart = cartOf(
      line('gold', 100_000_000 / 9_999, 9_999),
      line('gold', 9_999, 7),
      line('x', 1),
    );
    const r = priceWithPromotions(
      parseCart(cart.map((l) => ({ ...l, unitPriceFen: Math.floor(l.unitPriceFen) }))),
      rules,
      GUEST,
    );
    assert.equal(
      r.lines.reduce((s, l) => s + l.netFen, 0),
      r.totalFen,
    );
    assert.ok(r.lines.every((l) => l.netFen >= 0));
    assert.deepEqual(appliedIds(r), ['h', 'p']);
  });
});

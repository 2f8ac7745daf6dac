/**
 * Properties over seeded random carts, rule books and coupons: the fen always add up, nothing
 * goes negative, refunds return exactly what was paid, and neither the order of the rules nor
 * the order of the lines changes the answer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proRataPart } from '../ledger/pricing';
import { prng } from '../ledger/test-support/helpers';
import { priceWithPromotions, type PromoPricing } from './engine';
import type { PromoCartLine } from './schema';
import { randomCart, randomCoupons, randomRules, shuffled } from './test-support/generate';

const CASES = 400;
/** A Wednesday, 12:00 in Shanghai: weekday windows are on. */
const NOW = new Date('2026-12-02T04:00:00Z');

function checkArithmetic(
  cart: readonly PromoCartLine[],
  result: PromoPricing,
  label: string,
): void {
  let gross = 0;
  let total = 0;
  for (const line of result.lines) {
    assert.ok(line.netFen >= 0, `${label}: line ${line.lineNo} net ${line.netFen} < 0`);
    assert.equal(line.grossFen - line.discountFen, line.netFen, `${label}: line ${line.lineNo}`);
    assert.equal(
      line.allocations.reduce((s, a) => s + a.amountFen, 0),
      line.discountFen,
      `${label}: line ${line.lineNo}'s allocations do not add up to its discount`,
    );
    for (const a of line.allocations)
      assert.ok(a.amountFen > 0, `${label}: zero or negative allocation`);
    gross += line.grossFen;
    total += line.netFen;
  }
  assert.equal(result.lines.length, cart.length);
  assert.equal(result.grossFen, gross, `${label}: gross`);
  assert.equal(result.totalFen, total, `${label}: line nets must sum to the total`);
  assert.equal(result.discountFen, gross - total, `${label}: discount`);
  assert.ok(result.totalFen >= 0);
  // What each applied rule reports is exactly what it put on the lines.
  assert.equal(
    result.applied.reduce((s, a) => s + a.amountFen, 0),
    result.discountFen,
    `${label}: applied savings must sum to the discount`,
  );
  const ids = result.applied.map((a) => a.ruleId);
  assert.equal(new Set(ids).size, ids.length, `${label}: an offer was applied twice`);
  for (const a of result.applied) {
    assert.equal(
      a.lines.reduce((s, l) => s + l.amountFen, 0),
      a.amountFen,
      `${label}: ${a.ruleId}`,
    );
    for (const l of a.lines) {
      const line = result.lines.find((x) => x.lineNo === l.lineNo);
      assert.ok(
        line?.allocations.some((x) => x.ruleId === a.ruleId && x.amountFen === l.amountFen),
      );
    }
  }
}

test('line nets sum to the total, nothing is negative, every fen is explained', () => {
  const random = prng(11);
  let withSavings = 0;
  for (let c = 0; c < CASES; c++) {
    const cart = randomCart(random, 25);
    const rules = randomRules(random, 1 + Math.floor(random() * 15));
    const coupons = randomCoupons(random, Math.floor(random() * 4));
    const member = random() < 0.5;
    const result = priceWithPromotions(cart, rules, { member, now: NOW, coupons });
    checkArithmetic(cart, result, `case ${c}`);
    // Every rule and coupon is accounted for: applied or skipped with a reason.
    assert.equal(
      result.applied.length + result.skipped.length,
      rules.length + coupons.length,
      `case ${c}`,
    );
    if (result.discountFen > 0) withSavings += 1;
  }
  // The generator must actually exercise the engine, not price bare carts.
  assert.ok(withSavings > CASES / 2, `only ${withSavings} of ${CASES} carts got a saving`);
});

test('the same holds on big carts, where the greedy search takes over', () => {
  const random = prng(17);
  let greedy = 0;
  for (let c = 0; c < 40; c++) {
    const cart = randomCart(random, 200, 60, true);
    const rules = randomRules(random, 50, 60);
    const coupons = randomCoupons(random, 5, 60);
    const result = priceWithPromotions(cart, rules, { member: true, now: NOW, coupons });
    checkArithmetic(cart, result, `big case ${c}`);
    const again = priceWithPromotions(shuffled(random, cart), shuffled(random, rules), {
      member: true,
      now: NOW,
      coupons: shuffled(random, coupons),
    });
    assert.deepEqual(again, result, `big case ${c}: order changed the answer`);
    if (result.search === 'greedy') greedy += 1;
  }
  assert.ok(greedy > 0, 'no big cart reached the greedy search');
});

test('refunding any subset of lines, in any pieces, returns exactly those lines’ nets', () => {
  const random = prng(23);
  for (let c = 0; c < 200; c++) {
    const cart = randomCart(random, 20);
    const result = priceWithPromotions(cart, randomRules(random, 10), {
      member: true,
      now: NOW,
      coupons: randomCoupons(random, 2),
    });
    const refunded = result.lines.filter(() => random() < 0.5);
    let returned = 0;
    for (const line of refunded) {
      // Refund the line unit by unit in random-sized pieces, as the ledger's refund rule does.
      let done = 0;
      while (done < line.qty) {
        const k = 1 + Math.floor(random() * (line.qty - done));
        const part = proRataPart(line.netFen, line.qty, done, k);
        assert.ok(part >= 0);
        returned += part;
        done += k;
      }
    }
    const kept = result.lines
      .filter((l) => !refunded.includes(l))
      .reduce((s, l) => s + l.netFen, 0);
    assert.equal(
      returned,
      refunded.reduce((s, l) => s + l.netFen, 0),
      `case ${c}`,
    );
    assert.equal(
      returned + kept,
      result.totalFen,
      `case ${c}: refunds and what is kept must make the total`,
    );
  }
});

test('the answer does not depend on the order of rules, coupons or lines', () => {
  const random = prng(37);
  for (let c = 0; c < 200; c++) {
    const cart = randomCart(random, 20);
    const rules = randomRules(random, 12);
    const coupons = randomCoupons(random, 3);
    const options = { member: random() < 0.5, now: NOW };
    const first = priceWithPromotions(cart, rules, { ...options, coupons });
    const again = priceWithPromotions(shuffled(random, cart), shuffled(random, rules), {
      ...options,
      coupons: shuffled(random, coupons),
    });
    assert.deepEqual(again, first, `case ${c}`);
  }
});

test('with exhaustive search, no rule book subset prices the cart lower than the whole book', () => {
  // The best set for any subset of the rules is also available to the whole book (conflicts are
  // between pairs and do not change), so dropping a rule can never help the customer: if it
  // did, the search missed a better combination.
  const random = prng(51);
  let checked = 0;
  for (let c = 0; c < 120; c++) {
    const cart = randomCart(random, 8, 6);
    const rules = randomRules(random, 6, 6);
    const coupons = randomCoupons(random, 2, 6);
    const options = { member: true, now: NOW };
    const full = priceWithPromotions(cart, rules, { ...options, coupons });
    if (full.search !== 'exhaustive') continue;
    for (let drop = 0; drop < rules.length; drop++) {
      const fewer = priceWithPromotions(
        cart,
        rules.filter((_, k) => k !== drop),
        { ...options, coupons },
      );
      assert.ok(
        full.totalFen <= fewer.totalFen,
        `case ${c}: without ${rules[drop]?.id} the cart costs ${fewer.totalFen}, with it ${full.totalFen}`,
      );
      checked += 1;
    }
  }
  assert.ok(checked > 300);
});

/**
 * The promotions engine: pure pricing over a cart (rules, coupons, exact fen allocation). It
 * imports only the contract, so the ledger, the core and the renderer can all use it.
 */
export * from './schema';
export * from './engine';
export { compactYuan, couponLabel, ruleLabel, savingLine, type Label, type Locale } from './labels';
export { COUPON_ID_PREFIX, type OfferKind } from './offers';
export { DEFAULT_TIME_ZONE, localTime, type LocalTime } from './window';

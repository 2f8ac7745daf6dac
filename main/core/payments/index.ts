/** Payments: the acquirer interface, the pay-by-code flow, and the acquirers (README.md). */
export type * from './types';
export { checkChargeFen, fenToYuan, yuanToFen } from './amount';
export { outTradeNo, parseOutTradeNo } from './trade-no';
export { isPaidTrade, type PaidTrade } from './proof';
export { AttemptJournal, type AttemptRow, type AttemptState } from './journal';
export {
  PayByCode,
  realClock,
  type FlowClock,
  type PayByCodeOptions,
  type PayByCodeRequest as PayByCodeFlowRequest,
  type PayByCodeResult,
  type PayProgress,
} from './pay-by-code';
export {
  QrPay,
  QR_PREFERENCE,
  type QrEnd,
  type QrPayOptions,
  type QrShowing,
  type QrStart,
} from './qr-pay';
export {
  createAcquirers,
  paymentsConfigFromEnv,
  type CloudLinkForPayments,
  type PaymentsConfig,
} from './config';
export { SECRET_NAMES } from './acquirers/secrets';
export { AlipayAcquirer, type AlipayConfig } from './acquirers/alipay';
export { WechatPayAcquirer, type WechatPayConfig } from './acquirers/wechatpay';
export { ReferenceAcquirer, type ReferenceConfig } from './acquirers/reference';

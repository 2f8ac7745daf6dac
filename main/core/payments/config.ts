/**
 * Which acquirers this terminal uses, from the environment (the non-secret half) and the secret
 * store (the keys). Configured per terminal; none configured is a normal state: a payment code
 * then gets "no acquirer is configured for ..." and QR/card stay recorded tenders.
 *
 *   POS_ALIPAY_APP_ID, POS_ALIPAY_GATEWAY (optional; the sandbox or a test gateway)
 *   POS_WECHATPAY_APP_ID, POS_WECHATPAY_MCH_ID, POS_WECHATPAY_BASE_URL (optional),
 *   POS_WECHATPAY_NOTIFY_URL (optional; merchant-presented QR only)
 *   POS_DEVICE_IP (the terminal's LAN address, which WeChat wants in spbill_create_ip)
 *   POS_ACQUIRER_REFERENCE=off (the reference cloud's wallet is on for a terminal linked to a
 *   cloud; off leaves its 99… codes with "no acquirer is configured")
 * Keys: the secret store's alipay-app-private-key, alipay-public-key, wechatpay-api-key,
 * wechatpay-client-cert, wechatpay-client-key (acquirers/secrets.ts). The reference acquirer
 * needs none of its own: it signs with the terminal's cloud credentials (cloud-link.ts).
 */
import type { CloudClient } from '../../../cloud/client';
import type { PaymentScheme } from '../../contract';
import type { SecretStore } from '../../shared/secret-store';
import { AlipayAcquirer, alipayKeysFrom, type AlipayConfig } from './acquirers/alipay';
import { WechatPayAcquirer, wechatPayKeysFrom, type WechatPayConfig } from './acquirers/wechatpay';
import { ReferenceAcquirer } from './acquirers/reference';
import type { Acquirer } from './types';

export interface PaymentsConfig {
  alipay?: AlipayConfig;
  wechatpay?: WechatPayConfig;
  /** The reference cloud as acquirer, when the terminal is linked (default on). */
  reference: boolean;
}

/** The terminal's link to the cloud (core/cloud-link.ts's CloudLink has this shape). */
export interface CloudLinkForPayments {
  baseUrl: string;
  client: CloudClient;
}

export function paymentsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PaymentsConfig {
  const switchValue = (env.POS_ACQUIRER_REFERENCE ?? 'on').trim().toLowerCase();
  if (!['on', 'off'].includes(switchValue))
    throw new Error('POS_ACQUIRER_REFERENCE must be "on" or "off"');
  const config: PaymentsConfig = { reference: switchValue === 'on' };
  const alipayAppId = env.POS_ALIPAY_APP_ID;
  if (alipayAppId) {
    config.alipay = {
      appId: alipayAppId,
      ...(env.POS_ALIPAY_GATEWAY ? { gateway: env.POS_ALIPAY_GATEWAY } : {}),
      ...(env.POS_TERMINAL_ID ? { terminalId: env.POS_TERMINAL_ID } : {}),
    };
  }
  const wxAppId = env.POS_WECHATPAY_APP_ID;
  const wxMchId = env.POS_WECHATPAY_MCH_ID;
  if (wxAppId || wxMchId) {
    if (!wxAppId || !wxMchId)
      throw new Error('WeChat Pay needs both POS_WECHATPAY_APP_ID and POS_WECHATPAY_MCH_ID');
    config.wechatpay = {
      appId: wxAppId,
      mchId: wxMchId,
      ...(env.POS_WECHATPAY_BASE_URL ? { baseUrl: env.POS_WECHATPAY_BASE_URL } : {}),
      ...(env.POS_WECHATPAY_NOTIFY_URL ? { notifyUrl: env.POS_WECHATPAY_NOTIFY_URL } : {}),
      ...(env.POS_DEVICE_IP ? { deviceIp: env.POS_DEVICE_IP } : {}),
      ...(env.POS_TERMINAL_ID ? { deviceInfo: env.POS_TERMINAL_ID } : {}),
    };
  }
  return config;
}

/**
 * The acquirer for each wallet's codes. A configured acquirer whose keys are missing is an error
 * at start-up that names the missing secret (never a value), not a failure at the first sale.
 */
export function createAcquirers(
  config: PaymentsConfig,
  secrets: SecretStore,
  /** The terminal's cloud link, if it has one: it gets the reference acquirer (unless off). */
  cloud?: CloudLinkForPayments,
): Partial<Record<PaymentScheme, Acquirer>> {
  const acquirers: Partial<Record<PaymentScheme, Acquirer>> = {};
  if (config.reference && cloud !== undefined)
    acquirers.reference = new ReferenceAcquirer({ baseUrl: cloud.baseUrl, client: cloud.client });
  if (config.alipay !== undefined)
    acquirers.alipay = new AlipayAcquirer(config.alipay, alipayKeysFrom(secrets));
  if (config.wechatpay !== undefined)
    acquirers.wechat = new WechatPayAcquirer(config.wechatpay, wechatPayKeysFrom(secrets));
  return acquirers;
}

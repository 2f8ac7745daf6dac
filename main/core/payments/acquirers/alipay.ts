/**
 * Alipay (支付宝) through Ant Group's alipay-sdk: OpenAPI v2 gateway, RSA2 signatures both ways.
 * The SDK signs every request with the shop's app private key and, with validateSign, verifies
 * every answer with Alipay's public key: an answer that does not verify (forged, altered) is
 * `unknown` here, never paid, so the flow asks again and cancels.
 *
 *   alipay.trade.pay (scene bar_code)   → payByCode      10000 paid · 10003 buyer confirming
 *   alipay.trade.precreate              → precreate      qr_code
 *   alipay.trade.query                  → query          trade_status
 *   alipay.trade.cancel                 → cancel         action close | refund · retry_flag
 *   alipay.trade.refund                 → refund         out_request_no is the refund's key
 *   alipay.trade.fastpay.refund.query   → refundQuery
 *   alipay.data.dataservice.bill.downloadurl.query → settlementList (a zip of GBK CSV)
 *
 * Amounts cross as yuan strings ("12.34") converted with integer arithmetic; times come in
 * Beijing time ("yyyy-MM-dd HH:mm:ss") and leave as ISO 8601.
 */
import { AlipaySdk, type AlipaySdkCommonResult } from 'alipay-sdk';
import iconv from 'iconv-lite';
import type { PaymentScheme } from '../../../contract';
import type { SecretStore } from '../../../shared/secret-store';
import { fenToYuan, yuanToFen } from '../amount';
import type {
  Acquirer,
  AcquirerReason,
  CancelOutcome,
  PayByCodeRequest,
  PrecreateOutcome,
  PrecreateRequest,
  RefundOutcome,
  RefundRequest,
  SettlementLine,
  TradeOutcome,
} from '../types';
import { requireSecret, SECRET_NAMES } from './secrets';
import { readZipEntries } from './zip-entries';

export const ALIPAY_LIVE_GATEWAY = 'https://openapi.alipay.com/gateway.do';

export interface AlipayConfig {
  appId: string;
  /** Live gateway by default; the sandbox or a test gateway otherwise. */
  gateway?: string;
  /** How long to wait for an answer before it is `unknown` (ms). */
  timeoutMs?: number;
  /** Optional store/terminal ids Alipay shows in the merchant's statements. */
  storeId?: string;
  terminalId?: string;
}

export interface AlipayKeys {
  appPrivateKeyPem: string;
  alipayPublicKeyPem: string;
}

export function alipayKeysFrom(store: SecretStore): AlipayKeys {
  return {
    appPrivateKeyPem: requireSecret(
      store,
      SECRET_NAMES.alipayAppPrivateKey,
      'The Alipay app private key',
    ),
    alipayPublicKeyPem: requireSecret(store, SECRET_NAMES.alipayPublicKey, 'The Alipay public key'),
  };
}

/** Words for the refusals a cashier meets most; anything else carries Alipay's own sub_msg. */
const REASONS: Record<string, string> = {
  'ACQ.PAYMENT_AUTH_CODE_INVALID':
    'The payment code is invalid or expired: ask the customer to refresh it and scan again.',
  'ACQ.BUYER_BALANCE_NOT_ENOUGH':
    "The customer's balance is not enough: ask them to choose another card in Alipay.",
  'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH':
    "The customer's bank card balance is not enough: ask them to choose another card.",
  'ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR': "The customer's daily payment limit is reached.",
  'ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR': "The customer's monthly payment limit is reached.",
  'ACQ.PAYMENT_REQUEST_HAS_RISK': 'Alipay declined the payment for risk reasons.',
  'ACQ.PAYMENT_FAIL': 'Alipay could not take the payment.',
  'ACQ.BUYER_ENABLE_STATUS_FORBID': "The customer's Alipay account cannot pay at the moment.",
  'ACQ.BUYER_SELLER_EQUAL': 'The buyer and the shop are the same Alipay account.',
  'ACQ.TRADE_HAS_CLOSE': 'This payment was already closed: scan again to start a new one.',
  'ACQ.TOTAL_FEE_EXCEED': 'The amount is over what Alipay allows for one payment.',
  'ACQ.CONTEXT_INCONSISTENT': 'This order number was used before with different details.',
  'ACQ.TRADE_NOT_EXIST': 'Alipay has no payment under this number.',
  'ACQ.SYSTEM_ERROR': 'Alipay had a system error; the payment state is being checked.',
  'ACQ.TRADE_HAS_SUCCESS': 'Alipay says this payment was already made.',
  'isv.invalid-signature': "Alipay refused the terminal's signature: check the app keys.",
  'isv.invalid-app-id': 'Alipay does not know this app id: check the configuration.',
};

function reasonOf(result: AlipaySdkCommonResult): AcquirerReason {
  const code = result.sub_code ?? result.code;
  const words =
    REASONS[code] ?? `Alipay refused: ${result.sub_msg ?? result.msg ?? 'no reason given'}.`;
  return { code, message: words };
}

/** "2026-12-06 09:30:00" (Beijing) → ISO; missing or malformed → now. */
function beijingToIso(value: unknown, now: Date): string {
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(value))
    return now.toISOString();
  return new Date(`${value.replace(' ', 'T')}+08:00`).toISOString();
}

/** An answer we cannot trust or did not get: the SDK's errors (network, timeout, signature). */
function unknownFrom(error: unknown): { kind: 'unknown' } & AcquirerReason {
  const text = error instanceof Error ? error.message : String(error);
  if (/验签失败/.test(text))
    return {
      kind: 'unknown',
      code: 'BAD_SIGNATURE',
      message: "Alipay's answer failed its signature check and was ignored.",
    };
  if (/timeout/i.test(text))
    return { kind: 'unknown', code: 'TIMEOUT', message: 'Alipay did not answer in time.' };
  if (/status: 5\d\d/.test(text))
    return { kind: 'unknown', code: 'HTTP_5XX', message: 'Alipay answered with a server error.' };
  return { kind: 'unknown', code: 'NETWORK', message: 'No answer could be read from Alipay.' };
}

export class AlipayAcquirer implements Acquirer {
  readonly name = 'alipay' as const;
  readonly schemes: readonly PaymentScheme[] = ['alipay'];
  private readonly sdk: AlipaySdk;

  constructor(
    private readonly config: AlipayConfig,
    keys: AlipayKeys,
    private readonly now: () => Date = () => new Date(),
  ) {
    const pkcs8 = keys.appPrivateKeyPem.includes('BEGIN PRIVATE KEY');
    this.sdk = new AlipaySdk({
      appId: config.appId,
      privateKey: keys.appPrivateKeyPem,
      keyType: pkcs8 ? 'PKCS8' : 'PKCS1',
      alipayPublicKey: keys.alipayPublicKeyPem,
      gateway: config.gateway ?? ALIPAY_LIVE_GATEWAY,
      timeout: config.timeoutMs ?? 10_000,
      signType: 'RSA2',
      // Keep Alipay's documented snake_case field names.
      camelcase: false,
    });
    // The SDK keeps the keys on its config object; keep them out of any accidental JSON/log.
    Object.defineProperty(this, 'sdk', { enumerable: false });
  }

  /** Never serialise keys: logging this object shows only the app id and gateway. */
  toJSON(): object {
    return { acquirer: this.name, appId: this.config.appId, gateway: this.config.gateway };
  }

  private exec(method: string, biz: Record<string, unknown>): Promise<AlipaySdkCommonResult> {
    return this.sdk.exec(method, { bizContent: biz }, { validateSign: true });
  }

  private storeFields(): Record<string, string> {
    const fields: Record<string, string> = {};
    if (this.config.storeId !== undefined) fields.store_id = this.config.storeId;
    if (this.config.terminalId !== undefined) fields.terminal_id = this.config.terminalId;
    return fields;
  }

  async payByCode(request: PayByCodeRequest): Promise<TradeOutcome> {
    let result: AlipaySdkCommonResult;
    try {
      result = await this.exec('alipay.trade.pay', {
        out_trade_no: request.outTradeNo,
        scene: 'bar_code',
        auth_code: request.code,
        product_code: 'FACE_TO_FACE_PAYMENT',
        subject: request.subject,
        total_amount: fenToYuan(request.amountFen),
        ...this.storeFields(),
      });
    } catch (error) {
      return unknownFrom(error);
    }
    if (result.code === '10000') return this.paid(result, request.outTradeNo);
    if (result.code === '10003') return { kind: 'waiting' };
    // ACQ.TRADE_HAS_SUCCESS: this number is already paid (a retried request): the flow queries.
    if (
      result.code === '20000' ||
      result.sub_code === 'ACQ.SYSTEM_ERROR' ||
      result.sub_code === 'ACQ.TRADE_HAS_SUCCESS'
    )
      return { kind: 'unknown', ...reasonOf(result) };
    return { kind: 'refused', ...reasonOf(result) };
  }

  private paid(result: AlipaySdkCommonResult, outTradeNo: string): TradeOutcome {
    const amountFen = yuanToFen(result.total_amount);
    if (
      result.out_trade_no !== outTradeNo ||
      amountFen === null ||
      typeof result.trade_no !== 'string'
    ) {
      return {
        kind: 'unknown',
        code: 'MALFORMED_ANSWER',
        message: "Alipay's answer does not name this payment or its amount.",
      };
    }
    return {
      kind: 'paid',
      acquirerTradeNo: result.trade_no,
      amountFen,
      paidAt: beijingToIso(result.gmt_payment ?? result.send_pay_date, this.now()),
      ...(typeof result.buyer_logon_id === 'string' ? { buyer: result.buyer_logon_id } : {}),
    };
  }

  async precreate(request: PrecreateRequest): Promise<PrecreateOutcome> {
    let result: AlipaySdkCommonResult;
    try {
      result = await this.exec('alipay.trade.precreate', {
        out_trade_no: request.outTradeNo,
        total_amount: fenToYuan(request.amountFen),
        subject: request.subject,
        timeout_express: `${request.expiresInMinutes}m`,
        ...this.storeFields(),
      });
    } catch (error) {
      return unknownFrom(error);
    }
    if (result.code === '10000' && typeof result.qr_code === 'string')
      return { kind: 'qr', qrCode: result.qr_code };
    if (result.code === '20000' || result.sub_code === 'ACQ.SYSTEM_ERROR')
      return { kind: 'unknown', ...reasonOf(result) };
    return { kind: 'refused', ...reasonOf(result) };
  }

  async query(outTradeNo: string): Promise<TradeOutcome> {
    let result: AlipaySdkCommonResult;
    try {
      result = await this.exec('alipay.trade.query', { out_trade_no: outTradeNo });
    } catch (error) {
      return unknownFrom(error);
    }
    if (result.code === '10000') {
      switch (result.trade_status) {
        case 'TRADE_SUCCESS':
        case 'TRADE_FINISHED':
          return this.paid(result, outTradeNo);
        case 'WAIT_BUYER_PAY':
          return { kind: 'waiting' };
        case 'TRADE_CLOSED':
          return {
            kind: 'closed',
            code: 'TRADE_CLOSED',
            message: 'The payment was closed or reversed: nothing was charged.',
          };
      }
      return { kind: 'unknown', code: 'MALFORMED_ANSWER', message: 'Alipay gave no trade status.' };
    }
    if (result.sub_code === 'ACQ.TRADE_NOT_EXIST') return { kind: 'not_found' };
    // A query that fails says nothing about the money.
    return { kind: 'unknown', ...reasonOf(result) };
  }

  async cancel(outTradeNo: string): Promise<CancelOutcome> {
    let result: AlipaySdkCommonResult;
    try {
      result = await this.exec('alipay.trade.cancel', { out_trade_no: outTradeNo });
    } catch (error) {
      return unknownFrom(error);
    }
    if (
      result.retry_flag === 'Y' ||
      result.code === '20000' ||
      result.sub_code === 'ACQ.SYSTEM_ERROR'
    )
      return { kind: 'retry', ...reasonOf(result) };
    if (result.code === '10000') return { kind: 'cancelled', refunded: result.action === 'refund' };
    return { kind: 'refused', ...reasonOf(result) };
  }

  async refund(request: RefundRequest): Promise<RefundOutcome> {
    let result: AlipaySdkCommonResult;
    try {
      result = await this.exec('alipay.trade.refund', {
        out_trade_no: request.outTradeNo,
        refund_amount: fenToYuan(request.amountFen),
        out_request_no: request.refundNo,
        ...(request.reason === undefined ? {} : { refund_reason: request.reason }),
      });
    } catch (error) {
      return unknownFrom(error);
    }
    if (result.code === '10000') {
      // refund_fee is the trade's refunded total; this refund's amount is the one asked for,
      // which Alipay accepted under out_request_no (a repeat answers the same, fund_change N).
      return {
        kind: 'refunded',
        amountFen: request.amountFen,
        refundedAt: beijingToIso(result.gmt_refund_pay, this.now()),
      };
    }
    if (result.code === '20000' || result.sub_code === 'ACQ.SYSTEM_ERROR')
      return { kind: 'unknown', ...reasonOf(result) };
    return { kind: 'refused', ...reasonOf(result) };
  }

  async refundQuery(outTradeNo: string, refundNo: string): Promise<RefundOutcome> {
    let result: AlipaySdkCommonResult;
    try {
      result = await this.exec('alipay.trade.fastpay.refund.query', {
        out_trade_no: outTradeNo,
        out_request_no: refundNo,
        query_options: ['gmt_refund_pay'],
      });
    } catch (error) {
      return unknownFrom(error);
    }
    if (result.code !== '10000') return { kind: 'unknown', ...reasonOf(result) };
    // Documented: a 10000 answer without the refund's fields means no such refund took place.
    const amountFen = yuanToFen(result.refund_amount);
    if (amountFen === null) return { kind: 'not_found' };
    if (result.refund_status !== undefined && result.refund_status !== 'REFUND_SUCCESS')
      return { kind: 'processing' };
    return {
      kind: 'refunded',
      amountFen,
      refundedAt: beijingToIso(result.gmt_refund_pay, this.now()),
    };
  }

  /**
   * The day's trade bill: Alipay answers with a short-lived download URL of a zip holding the
   * detail CSV and a summary CSV (GBK). Unlike the money calls this may throw: it is a report.
   */
  async settlementList(day: string): Promise<SettlementLine[]> {
    if (!/^\d{4}-\d\d-\d\d$/.test(day)) throw new Error(`day must be YYYY-MM-DD: ${day}`);
    const result = await this.exec('alipay.data.dataservice.bill.downloadurl.query', {
      bill_type: 'trade',
      bill_date: day,
    });
    if (result.code !== '10000') {
      if (result.sub_code === 'isp.bill_not_exist') return [];
      throw new Error(`Alipay refused the bill: ${reasonOf(result).message}`);
    }
    if (typeof result.bill_download_url !== 'string')
      throw new Error('Alipay gave no bill download URL.');
    const response = await fetch(result.bill_download_url, {
      signal: AbortSignal.timeout(this.config.timeoutMs ?? 10_000),
    });
    if (!response.ok) throw new Error(`The Alipay bill download failed (HTTP ${response.status}).`);
    const entries = readZipEntries(Buffer.from(await response.arrayBuffer()));
    const detail = entries.find((entry) => !iconv.decode(entry.nameBytes, 'gbk').includes('汇总'));
    if (detail === undefined) throw new Error('The Alipay bill has no detail file.');
    return parseAlipayBill(iconv.decode(detail.data, 'gbk'));
  }
}

/**
 * The detail CSV: "#" comment lines, a header naming the columns (支付宝交易号, 商户订单号,
 * 业务类型, 完成时间, 订单金额（元）, 退款批次号/请求号 ...), rows until the next "#" line.
 * 业务类型 交易 is a payment, 退款 a refund (its amount negative in the file).
 */
export function parseAlipayBill(csv: string): SettlementLine[] {
  const lines = csv.split(/\r?\n/);
  const start = lines.findIndex((line) => line.trim().startsWith('支付宝交易号'));
  if (start < 0) throw new Error('The Alipay bill has an unknown layout.');
  const header = (lines[start] as string).split(',').map((name) => name.trim());
  const col = (name: string) => header.indexOf(name);
  const tradeNo = col('支付宝交易号');
  const outTradeNo = col('商户订单号');
  const kind = col('业务类型');
  const finished = col('完成时间');
  const amount = col('订单金额（元）');
  const refundNo = col('退款批次号/请求号');
  if ([tradeNo, outTradeNo, kind, finished, amount].some((index) => index < 0))
    throw new Error('The Alipay bill has an unknown layout.');
  const result: SettlementLine[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('#') || line.trim() === '') break;
    const cells = line.split(',').map((cell) => cell.trim());
    const fen = yuanToFen((cells[amount] ?? '').replace(/^-/, ''));
    if (fen === null) continue;
    const base = {
      outTradeNo: cells[outTradeNo] ?? '',
      acquirerTradeNo: cells[tradeNo] ?? '',
      amountFen: fen,
      at: beijingToIso(cells[finished], new Date()),
    };
    if (cells[kind] === '交易') result.push({ ...base, kind: 'payment' });
    else if (cells[kind] === '退款')
      result.push({ ...base, kind: 'refund', refundNo: cells[refundNo] ?? '' });
  }
  return result;
}

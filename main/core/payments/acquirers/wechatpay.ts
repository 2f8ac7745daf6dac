/**
 * WeChat Pay (微信支付) v2 payment-code API, XML signed HMAC-SHA256 with the merchant's API key.
 *
 *   /pay/micropay            → payByCode     result SUCCESS paid · USERPAYING buyer confirming
 *   /pay/unifiedorder NATIVE → precreate     code_url (needs a notify URL in the configuration)
 *   /pay/orderquery          → query         trade_state
 *   /secapi/pay/reverse      → cancel        recall=Y asks to send again (client certificate)
 *   /secapi/pay/refund       → refund        accepted; refundquery tells when it is done
 *   /pay/refundquery         → refundQuery
 *   /pay/downloadbill        → settlementList the day's CSV bill
 *
 * Every answer with return_code SUCCESS must carry a valid signature; one that does not (forged,
 * altered) is `unknown`, never paid. return_code FAIL is a failure of the call itself, which says
 * nothing sure about the money, so it is `unknown` too and the flow queries and reverses.
 */
import { randomBytes } from 'node:crypto';
import type { PaymentScheme } from '../../../contract';
import type { SecretStore } from '../../../shared/secret-store';
import { fenField, yuanToFen } from '../amount';
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
import { postText, type ClientCertificate } from './http-post';
import { requireSecret, SECRET_NAMES } from './secrets';
import { fromXml, toXml, wechatSign, wechatSignatureValid, type XmlFields } from './wechat-xml';

export const WECHATPAY_LIVE_BASE = 'https://api.mch.weixin.qq.com';

export interface WechatPayConfig {
  appId: string;
  mchId: string;
  /** Live API by default; a test gateway otherwise. */
  baseUrl?: string;
  timeoutMs?: number;
  /** The terminal's IP as WeChat wants it in spbill_create_ip. */
  deviceIp?: string;
  /** The terminal's id in the shop (device_info). */
  deviceInfo?: string;
  /** Required by unifiedorder (merchant-presented QR); the result is also learnt by query. */
  notifyUrl?: string;
}

export interface WechatPayKeys {
  apiKey: string;
  /** For /secapi (reverse, refund); the live API refuses those doors without it. */
  clientCert?: ClientCertificate;
}

export function wechatPayKeysFrom(store: SecretStore): WechatPayKeys {
  const apiKey = requireSecret(store, SECRET_NAMES.wechatApiKey, 'The WeChat Pay API key');
  const cert = store.get(SECRET_NAMES.wechatClientCert);
  const key = store.get(SECRET_NAMES.wechatClientKey);
  return {
    apiKey,
    ...(cert === null || key === null
      ? {}
      : { clientCert: { certPem: cert.toString('utf8'), keyPem: key.toString('utf8') } }),
  };
}

const REASONS: Record<string, string> = {
  AUTHCODEEXPIRE: 'The payment code has expired: ask the customer to refresh it and scan again.',
  AUTH_CODE_INVALID: 'The payment code is invalid: ask the customer to refresh it and scan again.',
  AUTH_CODE_ERROR: 'The payment code is invalid: ask the customer to refresh it and scan again.',
  NOTENOUGH: "The customer's balance is not enough: ask them to choose another card in WeChat.",
  NOTSUPORTCARD: "The customer's card cannot pay here: ask them to choose another card.",
  BUYER_MISMATCH: 'The payment code belongs to another WeChat user than this order.',
  ORDERCLOSED: 'This payment was already closed: scan again to start a new one.',
  ORDERREVERSED: 'This payment was already cancelled: scan again to start a new one.',
  NOAUTH: 'This shop is not allowed to take WeChat payment codes: check the merchant account.',
  PARAM_ERROR: 'WeChat Pay refused the request as malformed.',
  SIGNERROR: "WeChat Pay refused the terminal's signature: check the API key.",
  SYSTEMERROR: 'WeChat Pay had a system error; the payment state is being checked.',
  BANKERROR: "The customer's bank had an error; the payment state is being checked.",
  USERPAYING: 'The customer is confirming the payment on the phone.',
  ORDERPAID: 'WeChat Pay says this payment was already made.',
  ORDERNOTEXIST: 'WeChat Pay has no payment under this number.',
  REVERSE_EXPIRE: 'This payment can no longer be cancelled; refund it instead.',
};

function reasonOf(fields: XmlFields): AcquirerReason {
  const code = fields.err_code ?? fields.return_code ?? 'FAIL';
  return {
    code,
    message:
      REASONS[code] ??
      `WeChat Pay refused: ${fields.err_code_des ?? fields.return_msg ?? 'no reason given'}.`,
  };
}

/** "20261206093000" (Beijing) → ISO; malformed → now. */
function beijingCompactToIso(value: string | undefined, now: Date): string {
  const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(value ?? '');
  if (m === null) return now.toISOString();
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`).toISOString();
}

type Answer = { ok: true; fields: XmlFields } | ({ ok: false } & AcquirerReason);

export class WechatPayAcquirer implements Acquirer {
  readonly name = 'wechatpay' as const;
  readonly schemes: readonly PaymentScheme[] = ['wechat'];
  private readonly keys: WechatPayKeys;

  constructor(
    private readonly config: WechatPayConfig,
    keys: WechatPayKeys,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = keys;
    // Keep the key out of JSON.stringify / util.inspect of this object.
    Object.defineProperty(this, 'keys', { enumerable: false });
  }

  toJSON(): object {
    return { acquirer: this.name, appId: this.config.appId, mchId: this.config.mchId };
  }

  /** Sign, send, parse, verify. Anything but a verified SUCCESS envelope is not to be trusted. */
  private async call(path: string, business: XmlFields, secure = false): Promise<Answer> {
    const fields: XmlFields = {
      appid: this.config.appId,
      mch_id: this.config.mchId,
      nonce_str: randomBytes(16).toString('hex'),
      sign_type: 'HMAC-SHA256',
      ...business,
    };
    fields.sign = wechatSign(fields, this.keys.apiKey);
    const sent = await postText(
      `${this.config.baseUrl ?? WECHATPAY_LIVE_BASE}${path}`,
      toXml(fields),
      {
        timeoutMs: this.config.timeoutMs ?? 10_000,
        contentType: 'text/xml; charset=utf-8',
        ...(secure && this.keys.clientCert !== undefined
          ? { clientCert: this.keys.clientCert }
          : {}),
      },
    );
    if (!sent.ok) {
      return sent.reason === 'timeout'
        ? { ok: false, code: 'TIMEOUT', message: 'WeChat Pay did not answer in time.' }
        : { ok: false, code: 'NETWORK', message: 'No answer could be read from WeChat Pay.' };
    }
    if (sent.status >= 500)
      return { ok: false, code: 'HTTP_5XX', message: 'WeChat Pay answered with a server error.' };
    const answer = fromXml(sent.body);
    if (answer === null)
      return {
        ok: false,
        code: 'MALFORMED_ANSWER',
        message: "WeChat Pay's answer could not be read.",
      };
    if (answer.return_code !== 'SUCCESS') return { ok: false, ...reasonOf(answer) };
    if (!wechatSignatureValid(answer, this.keys.apiKey))
      return {
        ok: false,
        code: 'BAD_SIGNATURE',
        message: "WeChat Pay's answer failed its signature check and was ignored.",
      };
    return { ok: true, fields: answer };
  }

  private paid(fields: XmlFields, outTradeNo: string): TradeOutcome {
    const amountFen = fenField(fields.total_fee);
    if (fields.out_trade_no !== outTradeNo || amountFen === null || !fields.transaction_id)
      return {
        kind: 'unknown',
        code: 'MALFORMED_ANSWER',
        message: "WeChat Pay's answer does not name this payment or its amount.",
      };
    // openid is a stable identifier of the buyer: not kept (the ledger needs no buyer identity).
    return {
      kind: 'paid',
      acquirerTradeNo: fields.transaction_id,
      amountFen,
      paidAt: beijingCompactToIso(fields.time_end, this.now()),
    };
  }

  async payByCode(request: PayByCodeRequest): Promise<TradeOutcome> {
    const answer = await this.call('/pay/micropay', {
      body: request.subject,
      out_trade_no: request.outTradeNo,
      total_fee: String(request.amountFen),
      spbill_create_ip: this.config.deviceIp ?? '127.0.0.1',
      auth_code: request.code,
      ...(this.config.deviceInfo === undefined ? {} : { device_info: this.config.deviceInfo }),
    });
    if (!answer.ok) return { kind: 'unknown', code: answer.code, message: answer.message };
    const fields = answer.fields;
    if (fields.result_code === 'SUCCESS') return this.paid(fields, request.outTradeNo);
    switch (fields.err_code) {
      case 'USERPAYING':
        return { kind: 'waiting' };
      case 'SYSTEMERROR':
      case 'BANKERROR':
      case 'ORDERPAID':
      case undefined:
        return { kind: 'unknown', ...reasonOf(fields) };
    }
    return { kind: 'refused', ...reasonOf(fields) };
  }

  async precreate(request: PrecreateRequest): Promise<PrecreateOutcome> {
    if (this.config.notifyUrl === undefined)
      return {
        kind: 'refused',
        code: 'NOT_CONFIGURED',
        message: 'WeChat Pay QR codes need a notify URL in the terminal configuration.',
      };
    const expire = new Date(this.now().getTime() + request.expiresInMinutes * 60_000 + 8 * 3600_000)
      .toISOString()
      .replace(/[-T:]/g, '')
      .slice(0, 14);
    const answer = await this.call('/pay/unifiedorder', {
      body: request.subject,
      out_trade_no: request.outTradeNo,
      total_fee: String(request.amountFen),
      spbill_create_ip: this.config.deviceIp ?? '127.0.0.1',
      notify_url: this.config.notifyUrl,
      trade_type: 'NATIVE',
      product_id: request.outTradeNo,
      time_expire: expire,
    });
    if (!answer.ok) return { kind: 'unknown', code: answer.code, message: answer.message };
    if (answer.fields.result_code === 'SUCCESS' && answer.fields.code_url)
      return { kind: 'qr', qrCode: answer.fields.code_url };
    if (answer.fields.err_code === 'SYSTEMERROR')
      return { kind: 'unknown', ...reasonOf(answer.fields) };
    return { kind: 'refused', ...reasonOf(answer.fields) };
  }

  async query(outTradeNo: string): Promise<TradeOutcome> {
    const answer = await this.call('/pay/orderquery', { out_trade_no: outTradeNo });
    if (!answer.ok) return { kind: 'unknown', code: answer.code, message: answer.message };
    const fields = answer.fields;
    if (fields.result_code !== 'SUCCESS') {
      if (fields.err_code === 'ORDERNOTEXIST') return { kind: 'not_found' };
      return { kind: 'unknown', ...reasonOf(fields) };
    }
    switch (fields.trade_state) {
      case 'SUCCESS':
      case 'REFUND': // paid, and (partly) refunded since: the payment itself happened
        return this.paid(fields, outTradeNo);
      case 'USERPAYING':
      case 'NOTPAY':
        return { kind: 'waiting' };
      case 'CLOSED':
      case 'REVOKED':
      case 'PAYERROR':
        return {
          kind: 'closed',
          code: fields.trade_state,
          message: 'The payment was closed, reversed or failed: nothing was charged.',
        };
    }
    return {
      kind: 'unknown',
      code: 'MALFORMED_ANSWER',
      message: 'WeChat Pay gave no trade state.',
    };
  }

  async cancel(outTradeNo: string): Promise<CancelOutcome> {
    const answer = await this.call('/secapi/pay/reverse', { out_trade_no: outTradeNo }, true);
    if (!answer.ok) return { kind: 'unknown', code: answer.code, message: answer.message };
    const fields = answer.fields;
    if (fields.recall === 'Y') return { kind: 'retry', ...reasonOf(fields) };
    if (fields.result_code === 'SUCCESS') return { kind: 'cancelled', refunded: false };
    if (fields.err_code === 'SYSTEMERROR') return { kind: 'retry', ...reasonOf(fields) };
    return { kind: 'refused', ...reasonOf(fields) };
  }

  async refund(request: RefundRequest): Promise<RefundOutcome> {
    const answer = await this.call(
      '/secapi/pay/refund',
      {
        out_trade_no: request.outTradeNo,
        out_refund_no: request.refundNo,
        total_fee: String(request.totalFen),
        refund_fee: String(request.amountFen),
        ...(request.reason === undefined ? {} : { refund_desc: request.reason }),
      },
      true,
    );
    if (!answer.ok) return { kind: 'unknown', code: answer.code, message: answer.message };
    // Accepted is not done: WeChat refunds asynchronously; refundQuery says when.
    if (answer.fields.result_code === 'SUCCESS') return { kind: 'processing' };
    if (answer.fields.err_code === 'SYSTEMERROR')
      return { kind: 'unknown', ...reasonOf(answer.fields) };
    return { kind: 'refused', ...reasonOf(answer.fields) };
  }

  async refundQuery(_outTradeNo: string, refundNo: string): Promise<RefundOutcome> {
    const answer = await this.call('/pay/refundquery', { out_refund_no: refundNo });
    if (!answer.ok) return { kind: 'unknown', code: answer.code, message: answer.message };
    const fields = answer.fields;
    if (fields.result_code !== 'SUCCESS') {
      if (fields.err_code === 'REFUNDNOTEXIST') return { kind: 'not_found' };
      return { kind: 'unknown', ...reasonOf(fields) };
    }
    switch (fields.refund_status_0) {
      case 'SUCCESS': {
        const amountFen = fenField(fields.refund_fee_0);
        if (amountFen === null) break;
        const at = fields.refund_success_time_0;
        return {
          kind: 'refunded',
          amountFen,
          refundedAt:
            at === undefined
              ? this.now().toISOString()
              : new Date(`${at.replace(' ', 'T')}+08:00`).toISOString(),
        };
      }
      case 'PROCESSING':
        return { kind: 'processing' };
      case 'REFUNDCLOSE':
      case 'CHANGE':
        return {
          kind: 'refused',
          code: fields.refund_status_0,
          message: 'WeChat Pay could not complete the refund.',
        };
    }
    return {
      kind: 'unknown',
      code: 'MALFORMED_ANSWER',
      message: 'WeChat Pay gave no refund state.',
    };
  }

  async settlementList(day: string): Promise<SettlementLine[]> {
    if (!/^\d{4}-\d\d-\d\d$/.test(day)) throw new Error(`day must be YYYY-MM-DD: ${day}`);
    const fields: XmlFields = {
      appid: this.config.appId,
      mch_id: this.config.mchId,
      nonce_str: randomBytes(16).toString('hex'),
      sign_type: 'HMAC-SHA256',
      bill_date: day.replaceAll('-', ''),
      bill_type: 'ALL',
    };
    fields.sign = wechatSign(fields, this.keys.apiKey);
    const sent = await postText(
      `${this.config.baseUrl ?? WECHATPAY_LIVE_BASE}/pay/downloadbill`,
      toXml(fields),
      {
        timeoutMs: this.config.timeoutMs ?? 10_000,
        contentType: 'text/xml; charset=utf-8',
      },
    );
    if (!sent.ok || sent.status !== 200) throw new Error("WeChat Pay did not send the day's bill.");
    if (sent.body.trimStart().startsWith('<xml>')) {
      const error = fromXml(sent.body);
      // "No Bill Exist": nothing happened that day.
      if (error?.return_msg === 'No Bill Exist') return [];
      throw new Error(`WeChat Pay refused the bill: ${error?.return_msg ?? 'unreadable answer'}`);
    }
    return parseWechatBill(sent.body);
  }
}

/**
 * The ALL bill: a header line, one line per transaction with every field prefixed by a backtick,
 * then a summary header and line. Columns are found by their (Chinese) header names.
 */
export function parseWechatBill(csv: string): SettlementLine[] {
  const lines = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((name) => name.trim().replace(/^\uFEFF/, ''));
  const col = (name: string) => header.indexOf(name);
  const at = col('交易时间');
  const tradeNo = col('微信订单号');
  const outTradeNo = col('商户订单号');
  const status = col('交易状态');
  const amount = col('应结订单金额');
  const refundNo = col('商户退款单号');
  const refundAmount = col('退款金额');
  if ([at, tradeNo, outTradeNo, status, amount].some((index) => index < 0))
    throw new Error('The WeChat Pay bill has an unknown layout.');
  const result: SettlementLine[] = [];
  for (const line of lines.slice(1)) {
    if (!line.startsWith('`')) break; // the summary block starts without backticks
    const cells = line.split(',').map((cell) => cell.replace(/^`/, '').trim());
    const state = cells[status];
    const base = {
      outTradeNo: cells[outTradeNo] ?? '',
      acquirerTradeNo: cells[tradeNo] ?? '',
      at: new Date(`${(cells[at] ?? '').replace(' ', 'T')}+08:00`).toISOString(),
    };
    if (state === 'SUCCESS') {
      const fen = yuanToFen(cells[amount]);
      if (fen !== null) result.push({ ...base, kind: 'payment', amountFen: fen });
    } else if (state === 'REFUND') {
      const fen = yuanToFen(cells[refundAmount]);
      if (fen !== null)
        result.push({ ...base, kind: 'refund', amountFen: fen, refundNo: cells[refundNo] ?? '' });
    }
  }
  return result;
}

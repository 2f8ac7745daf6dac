/**
 * A stand-in for WeChat Pay's v2 API on loopback. Like the real one it checks appid, mch_id,
 * sign_type and the HMAC-SHA256 signature of every request (a bad one: return_code FAIL, unsigned,
 * nothing done), keys trades on out_trade_no and refunds on out_refund_no, reverses a paid
 * micropay trade, and signs every SUCCESS envelope with the merchant key. Scripts (shared
 * vocabulary with the Alipay gateway): wait = USERPAYING, system_error = SYSTEMERROR, silence,
 * act_then_silence, act_then_drop, forged, forged_paid, http_500, { refuse: err_code }.
 * (The client certificate of /secapi is not checked here: that is TLS, below what this tests.)
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { fenToYuan } from '../amount';
import {
  fromXml,
  toXml,
  wechatSign,
  wechatSignatureValid,
  type XmlFields,
} from '../acquirers/wechat-xml';
import type { AlipayBehaviour as GatewayBehaviour } from './alipay-gateway';
import { startLoopback, type LoopbackServer } from './loopback-server';

export type { GatewayBehaviour };

interface Trade {
  outTradeNo: string;
  transactionId: string;
  amountFen: number;
  state: 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'REFUND' | 'REVOKED' | 'CLOSED';
  charged: boolean;
  waitQueriesLeft: number;
  codeUrl?: string;
  timeEnd: string;
  refunds: Map<string, { refundId: string; amountFen: number; at: string }>;
}

export interface ReceivedWechatCall {
  path: string;
  fields: XmlFields;
  signatureValid: boolean;
}

export interface WechatPayGatewayOptions {
  appId: string;
  mchId: string;
  apiKey: string;
  confirmAfterQueries?: number;
}

function beijing(compact: boolean): string {
  const at = new Date(Date.now() + 8 * 3600_000).toISOString();
  return compact ? at.slice(0, 19).replace(/[-T:]/g, '') : `${at.slice(0, 10)} ${at.slice(11, 19)}`;
}

export class WechatPayGateway {
  readonly received: ReceivedWechatCall[] = [];
  readonly trades = new Map<string, Trade>();
  confirmAfterQueries: number;
  private readonly scripts = new Map<string, GatewayBehaviour[]>();
  private server: LoopbackServer | null = null;
  private serial = 0;

  private constructor(private readonly options: WechatPayGatewayOptions) {
    this.confirmAfterQueries = options.confirmAfterQueries ?? 1;
  }

  static async start(options: WechatPayGatewayOptions): Promise<WechatPayGateway> {
    const gateway = new WechatPayGateway(options);
    gateway.server = await startLoopback((request, body, response) =>
      gateway.handle(new URL(request.url ?? '/', 'http://x').pathname, body, response),
    );
    return gateway;
  }

  get url(): string {
    if (this.server === null) throw new Error('gateway not started');
    return this.server.url;
  }

  script(path: string, ...behaviours: GatewayBehaviour[]): void {
    this.scripts.set(path, [...(this.scripts.get(path) ?? []), ...behaviours]);
  }

  clearScripts(): void {
    this.scripts.clear();
  }

  calls(path: string): ReceivedWechatCall[] {
    return this.received.filter((call) => call.path === path);
  }

  chargedTrades(): Trade[] {
    return [...this.trades.values()].filter((trade) => trade.charged);
  }

  scanAndPay(codeUrl: string): void {
    const trade = [...this.trades.values()].find((t) => t.codeUrl === codeUrl);
    if (trade === undefined || trade.state !== 'NOTPAY') throw new Error('no such open QR');
    this.settle(trade);
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private settle(trade: Trade): void {
    trade.state = 'SUCCESS';
    trade.charged = true;
    trade.timeEnd = beijing(true);
  }

  private handle(path: string, body: string, response: ServerResponse): void {
    const fields = fromXml(body) ?? {};
    const signatureValid =
      fields.appid === this.options.appId &&
      fields.mch_id === this.options.mchId &&
      fields.sign_type === 'HMAC-SHA256' &&
      (fields.nonce_str ?? '').length > 0 &&
      wechatSignatureValid(fields, this.options.apiKey);
    this.received.push({ path, fields, signatureValid });
    response.setHeader('content-type', 'text/xml; charset=utf-8');
    if (!signatureValid) {
      response.end(toXml({ return_code: 'FAIL', return_msg: '签名错误' }));
      return;
    }
    const behaviour = this.scripts.get(path)?.shift() ?? 'normal';
    if (behaviour === 'silence') return;
    if (behaviour === 'http_500') {
      response.statusCode = 500;
      response.end('Internal Server Error');
      return;
    }
    if (behaviour === 'system_error') {
      this.answer(response, {
        result_code: 'FAIL',
        err_code: 'SYSTEMERROR',
        err_code_des: '系统错误',
      });
      return;
    }
    if (typeof behaviour === 'object') {
      this.answer(response, {
        result_code: 'FAIL',
        err_code: behaviour.refuse,
        err_code_des: behaviour.message ?? '失败',
      });
      return;
    }
    if (behaviour === 'forged_paid') {
      this.answer(
        response,
        {
          result_code: 'SUCCESS',
          trade_state: 'SUCCESS',
          out_trade_no: fields.out_trade_no ?? '',
          transaction_id: '4200000666000000000000000666',
          total_fee: fields.total_fee ?? '1',
          time_end: beijing(true),
        },
        true,
      );
      return;
    }
    if (path === '/pay/downloadbill') {
      response.end(this.bill());
      return;
    }
    const content = this.act(path, fields, behaviour === 'wait');
    if (behaviour === 'act_then_silence') return;
    if (behaviour === 'act_then_drop') {
      response.socket?.destroy();
      return;
    }
    this.answer(response, content, behaviour === 'forged');
  }

  private fail(errCode: string): XmlFields {
    return { result_code: 'FAIL', err_code: errCode, err_code_des: errCode };
  }

  private tradeFields(trade: Trade): XmlFields {
    return {
      out_trade_no: trade.outTradeNo,
      transaction_id: trade.transactionId,
      total_fee: String(trade.amountFen),
      openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      trade_type: trade.codeUrl === undefined ? 'MICROPAY' : 'NATIVE',
      time_end: trade.timeEnd,
    };
  }

  private act(path: string, fields: XmlFields, wait: boolean): XmlFields {
    const outTradeNo = fields.out_trade_no ?? '';
    const existing = this.trades.get(outTradeNo);
    switch (path) {
      case '/pay/micropay':
      case '/pay/unifiedorder': {
        const amountFen = Number(fields.total_fee);
        if (!/^\d+$/.test(fields.total_fee ?? '') || amountFen <= 0)
          return this.fail('PARAM_ERROR');
        if (existing !== undefined) {
          if (existing.state === 'SUCCESS' || existing.state === 'REFUND')
            return this.fail('ORDERPAID');
          if (existing.state === 'REVOKED') return this.fail('ORDERREVERSED');
          if (existing.state === 'CLOSED') return this.fail('ORDERCLOSED');
          return this.fail('USERPAYING');
        }
        const trade: Trade = {
          outTradeNo,
          transactionId: `42000${String(++this.serial).padStart(23, '0')}`,
          amountFen,
          state: 'USERPAYING',
          charged: false,
          waitQueriesLeft: this.confirmAfterQueries,
          timeEnd: '',
          refunds: new Map(),
        };
        this.trades.set(outTradeNo, trade);
        if (path === '/pay/unifiedorder') {
          trade.state = 'NOTPAY';
          trade.codeUrl = `weixin://wxpay/bizpayurl?pr=${randomBytes(6).toString('base64url')}`;
          return {
            result_code: 'SUCCESS',
            trade_type: 'NATIVE',
            prepay_id: `wx${trade.transactionId}`,
            code_url: trade.codeUrl,
          };
        }
        if (wait) return this.fail('USERPAYING');
        this.settle(trade);
        return { result_code: 'SUCCESS', ...this.tradeFields(trade) };
      }
      case '/pay/orderquery': {
        if (existing === undefined) return this.fail('ORDERNOTEXIST');
        if (existing.state === 'USERPAYING') {
          existing.waitQueriesLeft -= 1;
          if (existing.waitQueriesLeft < 0) this.settle(existing);
        }
        return {
          result_code: 'SUCCESS',
          ...this.tradeFields(existing),
          trade_state: existing.state,
        };
      }
      case '/secapi/pay/reverse': {
        if (existing === undefined) return this.fail('ORDERNOTEXIST');
        existing.state = 'REVOKED';
        existing.charged = false;
        return { result_code: 'SUCCESS', recall: 'N' };
      }
      case '/secapi/pay/refund': {
        if (existing === undefined) return this.fail('ORDERNOTEXIST');
        if (existing.state !== 'SUCCESS' && existing.state !== 'REFUND')
          return this.fail('TRADE_STATE_ERROR');
        if (fields.total_fee !== String(existing.amountFen)) return this.fail('PARAM_ERROR');
        const refundNo = fields.out_refund_no ?? '';
        const amountFen = Number(fields.refund_fee);
        const known = existing.refunds.get(refundNo);
        if (known === undefined) {
          const refunded = [...existing.refunds.values()].reduce((s, r) => s + r.amountFen, 0);
          if (!(amountFen > 0) || refunded + amountFen > existing.amountFen)
            return this.fail('NOTENOUGH');
          existing.refunds.set(refundNo, {
            refundId: `50000${String(++this.serial).padStart(23, '0')}`,
            amountFen,
            at: beijing(false),
          });
          existing.state = 'REFUND';
        }
        const refund = existing.refunds.get(refundNo);
        return {
          result_code: 'SUCCESS',
          out_trade_no: outTradeNo,
          out_refund_no: refundNo,
          refund_id: refund?.refundId ?? '',
          refund_fee: String(refund?.amountFen ?? 0),
        };
      }
      case '/pay/refundquery': {
        for (const trade of this.trades.values()) {
          const refund = trade.refunds.get(fields.out_refund_no ?? '');
          if (refund !== undefined)
            return {
              result_code: 'SUCCESS',
              out_trade_no: trade.outTradeNo,
              refund_count: '1',
              out_refund_no_0: fields.out_refund_no ?? '',
              refund_id_0: refund.refundId,
              refund_fee_0: String(refund.amountFen),
              refund_status_0: 'SUCCESS',
              refund_success_time_0: refund.at,
            };
        }
        return this.fail('REFUNDNOTEXIST');
      }
    }
    return this.fail('PARAM_ERROR');
  }

  /** The ALL bill of everything this gateway saw (tests run within one day). */
  private bill(): string {
    const header =
      '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
    const rows: string[] = [];
    const o = this.options;
    for (const t of this.trades.values()) {
      if (t.timeEnd === '') continue;
      const when = `${t.timeEnd.slice(0, 4)}-${t.timeEnd.slice(4, 6)}-${t.timeEnd.slice(6, 8)} ${t.timeEnd.slice(8, 10)}:${t.timeEnd.slice(10, 12)}:${t.timeEnd.slice(12, 14)}`;
      const yuan = fenToYuan(t.amountFen);
      rows.push(
        [
          when,
          o.appId,
          o.mchId,
          '0',
          '',
          t.transactionId,
          t.outTradeNo,
          'oUpF8u',
          'MICROPAY',
          t.charged || t.state === 'REFUND' ? 'SUCCESS' : 'REVOKED',
          'CMC',
          'CNY',
          yuan,
          '0.00',
          '0',
          '0',
          '0.00',
          '0.00',
          '',
          '',
          'goods',
          '',
          '0.00',
          '0.60%',
          yuan,
          '0.00',
          '',
        ]
          .map((c) => `\`${c}`)
          .join(','),
      );
      for (const [refundNo, r] of t.refunds) {
        const ry = fenToYuan(r.amountFen);
        rows.push(
          [
            r.at,
            o.appId,
            o.mchId,
            '0',
            '',
            t.transactionId,
            t.outTradeNo,
            'oUpF8u',
            'MICROPAY',
            'REFUND',
            'CMC',
            'CNY',
            '0.00',
            '0.00',
            r.refundId,
            refundNo,
            ry,
            '0.00',
            'ORIGINAL',
            'SUCCESS',
            'goods',
            '',
            '0.00',
            '0.60%',
            fenToYuan(t.amountFen),
            ry,
            '',
          ]
            .map((c) => `\`${c}`)
            .join(','),
        );
      }
    }
    const summary =
      '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';
    return [
      header,
      ...rows,
      summary,
      `\`${rows.length},\`0.00,\`0.00,\`0.00,\`0.00,\`0.00,\`0.00`,
      '',
    ].join('\r\n');
  }

  private answer(response: ServerResponse, content: XmlFields, forged = false): void {
    const fields: XmlFields = {
      return_code: 'SUCCESS',
      return_msg: 'OK',
      appid: this.options.appId,
      mch_id: this.options.mchId,
      nonce_str: randomBytes(8).toString('hex'),
      ...content,
    };
    fields.sign = wechatSign(
      fields,
      forged ? 'forged-key-that-is-not-the-merchants' : this.options.apiKey,
    );
    response.end(toXml(fields));
  }
}

/**
 * A stand-in for Alipay's OpenAPI gateway (gateway.do) on loopback, for tests and demos. It
 * checks what the real one checks and answers as the real one answers:
 *  - every request's RSA2 signature is verified with the app's public key (sorted k=v pairs of
 *    all parameters but `sign`), and the app id must match; a bad one gets isv.invalid-signature;
 *  - answers have the documented shape {"<method>_response": {...}, "sign": "..."} signed with
 *    the "Alipay" private key over the exact response text, so the SDK's verification is real;
 *  - trades have state (WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_CLOSED), out_trade_no is unique,
 *    refunds are keyed by out_request_no, a cancel of a paid trade reverses it.
 * Scripts say what the next calls of a method do: pay at once, wait for the buyer, system error,
 * silence, charge and then fall silent or drop the line, a forged signature, HTTP 500, a refusal.
 * It records exactly what it received (method, business content, whether the signature held).
 */
import { createSign, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import iconv from 'iconv-lite';
import { fenToYuan, yuanToFen } from '../amount';
import { startLoopback, type LoopbackServer } from './loopback-server';
import { writeZip } from './zip-write';

export interface RsaPair {
  privatePem: string;
  publicPem: string;
}

export function makeRsaPair(): RsaPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export type AlipayBehaviour =
  | 'normal'
  /** (pay) The buyer must confirm on the phone: 10003, trade WAIT_BUYER_PAY. */
  | 'wait'
  | 'system_error'
  /** Take the request, never answer (the socket stays open until the client gives up). */
  | 'silence'
  /** Do what was asked (charge, cancel...), then never answer. */
  | 'act_then_silence'
  /** Do what was asked, then cut the connection without a word. */
  | 'act_then_drop'
  /** Answer normally but sign with a key that is not Alipay's. */
  | 'forged'
  /** Do nothing, and answer "paid" signed with a key that is not Alipay's (an impostor). */
  | 'forged_paid'
  | 'http_500'
  | { refuse: string; message?: string };

export interface ReceivedCall {
  method: string;
  biz: Record<string, unknown>;
  signatureValid: boolean;
}

interface Trade {
  outTradeNo: string;
  tradeNo: string;
  amountFen: number;
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  /** Money taken from the buyer and not given back by a reversal. */
  charged: boolean;
  waitQueriesLeft: number;
  qrCode?: string;
  refunds: Map<string, { amountFen: number; at: string }>;
  paidAt: string;
}

export interface AlipayGatewayOptions {
  appId: string;
  appPublicKeyPem: string;
  alipayPrivateKeyPem: string;
  /** Queries a WAIT_BUYER_PAY trade answers before the buyer confirms (Infinity: never). */
  confirmAfterQueries?: number;
}

function beijingNow(): string {
  const at = new Date(Date.now() + 8 * 3600_000).toISOString();
  return `${at.slice(0, 10)} ${at.slice(11, 19)}`;
}

export class AlipayGateway {
  readonly received: ReceivedCall[] = [];
  readonly trades = new Map<string, Trade>();
  confirmAfterQueries: number;
  private readonly scripts = new Map<string, AlipayBehaviour[]>();
  private server: LoopbackServer | null = null;
  private forgeKey: string | null = null;
  private serial = 0;

  private constructor(private readonly options: AlipayGatewayOptions) {
    this.confirmAfterQueries = options.confirmAfterQueries ?? 1;
  }

  static async start(options: AlipayGatewayOptions): Promise<AlipayGateway> {
    const gateway = new AlipayGateway(options);
    gateway.server = await startLoopback((request, body, response) =>
      gateway.handle(request.url ?? '/', body, response),
    );
    return gateway;
  }

  get url(): string {
    if (this.server === null) throw new Error('gateway not started');
    return `${this.server.url}/gateway.do`;
  }

  /** The next calls of `method` behave as listed, in order; then 'normal' again. */
  script(method: string, ...behaviours: AlipayBehaviour[]): void {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...behaviours]);
  }

  calls(method: string): ReceivedCall[] {
    return this.received.filter((call) => call.method === method);
  }

  /** Trades that took the buyer's money and kept it (net of reversals; refunds aside). */
  chargedTrades(): Trade[] {
    return [...this.trades.values()].filter((trade) => trade.charged);
  }

  /** The buyer scans a precreated QR and pays. */
  scanAndPay(qrCode: string): void {
    const trade = [...this.trades.values()].find((t) => t.qrCode === qrCode);
    if (trade === undefined || trade.status !== 'WAIT_BUYER_PAY')
      throw new Error('no such open QR');
    this.settle(trade);
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private settle(trade: Trade): void {
    trade.status = 'TRADE_SUCCESS';
    trade.charged = true;
    trade.paidAt = beijingNow();
  }

  private verify(params: URLSearchParams): boolean {
    const sign = params.get('sign');
    if (sign === null || params.get('app_id') !== this.options.appId) return false;
    if (params.get('sign_type') !== 'RSA2') return false;
    const text = [...params.keys()]
      .filter((key) => key !== 'sign')
      .sort()
      .map((key) => `${key}=${params.get(key)}`)
      .join('&');
    return createVerify('RSA-SHA256')
      .update(text, 'utf8')
      .verify(this.options.appPublicKeyPem, sign, 'base64');
  }

  private handle(url: string, body: string, response: ServerResponse): void {
    if (url.startsWith('/bill/')) {
      response.setHeader('content-type', 'application/zip');
      response.end(this.billZip());
      return;
    }
    const params = new URLSearchParams(new URL(url, 'http://gateway').search);
    for (const [key, value] of new URLSearchParams(body)) params.set(key, value);
    const method = params.get('method') ?? '';
    let biz: Record<string, unknown>;
    try {
      biz = JSON.parse(params.get('biz_content') ?? '{}') as Record<string, unknown>;
    } catch {
      biz = {};
    }
    const signatureValid = this.verify(params);
    this.received.push({ method, biz, signatureValid });
    const key = `${method.replaceAll('.', '_')}_response`;
    if (!signatureValid) {
      this.answer(response, key, {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.invalid-signature',
        sub_msg: '验签出错',
      });
      return;
    }
    const behaviour = this.scripts.get(method)?.shift() ?? 'normal';
    if (behaviour === 'silence') return;
    if (behaviour === 'http_500') {
      response.statusCode = 500;
      response.end('Internal Server Error');
      return;
    }
    if (behaviour === 'system_error') {
      this.answer(response, key, {
        code: '20000',
        msg: 'Service Currently Unavailable',
        sub_code: 'ACQ.SYSTEM_ERROR',
        sub_msg: '系统错误',
      });
      return;
    }
    if (typeof behaviour === 'object') {
      this.answer(response, key, {
        code: '40004',
        msg: 'Business Failed',
        sub_code: behaviour.refuse,
        sub_msg: behaviour.message ?? '业务处理失败',
      });
      return;
    }
    if (behaviour === 'forged_paid') {
      const amount = String(biz.total_amount ?? '0.01');
      const fake = {
        code: '10000',
        msg: 'Success',
        out_trade_no: biz.out_trade_no,
        trade_no: '2026000000000000000000000666',
        total_amount: amount,
        trade_status: 'TRADE_SUCCESS',
        gmt_payment: beijingNow(),
      };
      this.answer(response, key, fake, true);
      return;
    }
    const content = this.act(method, biz, behaviour === 'wait');
    if (behaviour === 'act_then_silence') return;
    if (behaviour === 'act_then_drop') {
      response.socket?.destroy();
      return;
    }
    this.answer(response, key, content, behaviour === 'forged');
  }

  private failure(subCode: string, subMsg: string): Record<string, unknown> {
    return { code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: subMsg };
  }

  private tradeFields(trade: Trade): Record<string, unknown> {
    return {
      out_trade_no: trade.outTradeNo,
      trade_no: trade.tradeNo,
      total_amount: fenToYuan(trade.amountFen),
      buyer_logon_id: 'lem***@alipay.com',
    };
  }

  /** What a real Alipay would do with a well-signed request. */
  private act(
    method: string,
    biz: Record<string, unknown>,
    wait: boolean,
  ): Record<string, unknown> {
    const outTradeNo = String(biz.out_trade_no ?? '');
    const existing = this.trades.get(outTradeNo);
    switch (method) {
      case 'alipay.trade.pay':
      case 'alipay.trade.precreate': {
        const amountFen = yuanToFen(biz.total_amount);
        if (amountFen === null || amountFen <= 0)
          return { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-parameter' };
        if (existing !== undefined) {
          if (existing.status === 'TRADE_SUCCESS')
            return this.failure('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
          if (existing.status === 'TRADE_CLOSED')
            return this.failure('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
          return {
            code: '10003',
            msg: ' order success pay inprocess',
            ...this.tradeFields(existing),
          };
        }
        const trade: Trade = {
          outTradeNo,
          tradeNo: `2026${String(++this.serial).padStart(24, '0')}`,
          amountFen,
          status: 'WAIT_BUYER_PAY',
          charged: false,
          waitQueriesLeft: this.confirmAfterQueries,
          refunds: new Map(),
          paidAt: '',
        };
        this.trades.set(outTradeNo, trade);
        if (method === 'alipay.trade.precreate') {
          trade.qrCode = `https://qr.alipay.com/${randomBytes(9).toString('base64url')}`;
          return { code: '10000', msg: 'Success', out_trade_no: outTradeNo, qr_code: trade.qrCode };
        }
        if (wait)
          return { code: '10003', msg: ' order success pay inprocess', ...this.tradeFields(trade) };
        this.settle(trade);
        return {
          code: '10000',
          msg: 'Success',
          ...this.tradeFields(trade),
          gmt_payment: trade.paidAt,
        };
      }
      case 'alipay.trade.query': {
        if (existing === undefined) return this.failure('ACQ.TRADE_NOT_EXIST', '交易不存在');
        if (existing.status === 'WAIT_BUYER_PAY' && existing.qrCode === undefined) {
          existing.waitQueriesLeft -= 1;
          if (existing.waitQueriesLeft < 0) this.settle(existing);
        }
        return {
          code: '10000',
          msg: 'Success',
          ...this.tradeFields(existing),
          trade_status: existing.status,
          ...(existing.status === 'TRADE_SUCCESS' ? { send_pay_date: existing.paidAt } : {}),
        };
      }
      case 'alipay.trade.cancel': {
        if (existing === undefined) return this.failure('ACQ.TRADE_NOT_EXIST', '交易不存在');
        const action = existing.charged ? 'refund' : 'close';
        existing.status = 'TRADE_CLOSED';
        existing.charged = false;
        return { code: '10000', msg: 'Success', out_trade_no: outTradeNo, retry_flag: 'N', action };
      }
      case 'alipay.trade.refund': {
        if (existing === undefined) return this.failure('ACQ.TRADE_NOT_EXIST', '交易不存在');
        if (existing.status !== 'TRADE_SUCCESS')
          return this.failure('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
        const requestNo = String(biz.out_request_no ?? outTradeNo);
        const amountFen = yuanToFen(biz.refund_amount);
        if (amountFen === null || amountFen <= 0)
          return { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-parameter' };
        const known = existing.refunds.get(requestNo);
        if (known === undefined) {
          const refunded = [...existing.refunds.values()].reduce((sum, r) => sum + r.amountFen, 0);
          if (refunded + amountFen > existing.amountFen)
            return this.failure('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
          existing.refunds.set(requestNo, { amountFen, at: beijingNow() });
        }
        const total = [...existing.refunds.values()].reduce((sum, r) => sum + r.amountFen, 0);
        return {
          code: '10000',
          msg: 'Success',
          ...this.tradeFields(existing),
          refund_fee: fenToYuan(total),
          fund_change: known === undefined ? 'Y' : 'N',
          gmt_refund_pay: existing.refunds.get(requestNo)?.at,
        };
      }
      case 'alipay.trade.fastpay.refund.query': {
        const refund = existing?.refunds.get(String(biz.out_request_no ?? ''));
        if (existing === undefined || refund === undefined)
          return { code: '10000', msg: 'Success' };
        return {
          code: '10000',
          msg: 'Success',
          out_trade_no: outTradeNo,
          trade_no: existing.tradeNo,
          out_request_no: biz.out_request_no,
          total_amount: fenToYuan(existing.amountFen),
          refund_amount: fenToYuan(refund.amountFen),
          refund_status: 'REFUND_SUCCESS',
          gmt_refund_pay: refund.at,
        };
      }
      case 'alipay.data.dataservice.bill.downloadurl.query':
        return {
          code: '10000',
          msg: 'Success',
          bill_download_url: `${this.server?.url}/bill/${String(biz.bill_date)}.zip?sign=${randomBytes(6).toString('hex')}`,
        };
    }
    return { code: '40004', msg: 'Business Failed', sub_code: 'isv.invalid-method' };
  }

  /** The trade bill as Alipay serves it: a zip of a detail and a summary CSV, GBK. */
  private billZip(): Buffer {
    const rows = [
      '#支付宝业务明细查询',
      `#账号：[20880000000000000156]`,
      '#-----------------------------------------业务明细列表----------------------------------------',
      '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注',
    ];
    for (const trade of this.trades.values()) {
      if (!trade.charged && trade.refunds.size === 0) continue;
      const yuan = fenToYuan(trade.amountFen);
      rows.push(
        `${trade.tradeNo}\t,${trade.outTradeNo}\t,交易,S,${trade.paidAt},${trade.paidAt},,,,,lem***@alipay.com,${yuan},${yuan},0.00,0.00,0.00,0.00,,,0.00,0.00,,-0.06,0.00,`,
      );
      for (const [requestNo, refund] of trade.refunds) {
        const ry = fenToYuan(refund.amountFen);
        rows.push(
          `${trade.tradeNo}\t,${trade.outTradeNo}\t,退款,S,${trade.paidAt},${refund.at},,,,,lem***@alipay.com,-${ry},-${ry},0.00,0.00,0.00,0.00,,,0.00,0.00,${requestNo}\t,0.02,0.00,`,
        );
      }
    }
    rows.push(
      '#-----------------------------------------业务明细列表结束------------------------------------',
      '#交易合计：0笔，商家实收：0.00元',
      '#导出时间：2026年12月06日 10:00:00',
    );
    const summary = '#支付宝业务汇总查询\r\n门店编号,门店名称,交易订单总笔数\r\n合计,,0\r\n';
    return writeZip([
      {
        nameBytes: iconv.encode('20880000000000000156_业务明细.csv', 'gbk'),
        data: iconv.encode(rows.join('\r\n'), 'gbk'),
      },
      {
        nameBytes: iconv.encode('20880000000000000156_业务明细(汇总).csv', 'gbk'),
        data: iconv.encode(summary, 'gbk'),
      },
    ]);
  }

  private answer(
    response: ServerResponse,
    key: string,
    content: Record<string, unknown>,
    forged = false,
  ): void {
    const text = JSON.stringify(content);
    if (forged && this.forgeKey === null) this.forgeKey = makeRsaPair().privatePem;
    const signingKey = forged ? (this.forgeKey as string) : this.options.alipayPrivateKeyPem;
    const sign = createSign('RSA-SHA256').update(text, 'utf8').sign(signingKey, 'base64');
    response.setHeader('content-type', 'application/json;charset=utf-8');
    response.end(`{"${key}":${text},"sign":"${sign}"}`);
  }
}

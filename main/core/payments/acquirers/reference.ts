/**
 * The reference cloud as acquirer (cloud/acquire): the chain's stored-value wallet, paid by a
 * payer's one-time code (99…, `npm run cloud -- paycode`) or by a QR the payer scans
 * (`npm run cloud -- scan`). The terminal's own cloud link: every request is signed with the
 * credentials it got at pairing (the same HMAC as every other cloud call), and every answer must
 * carry the cloud's Ed25519 signature bound to this request (cloud/acquire/answer-signature.ts),
 * verified with the payment key the terminal got at pairing.
 *
 *   POST /v1/acquire/pay                      → payByCode   paid · waiting · refused
 *   POST /v1/acquire/precreate                → precreate   the QR's URL
 *   GET  /v1/acquire/trades/:no               → query
 *   POST /v1/acquire/trades/:no/cancel        → cancel      closed · reversed
 *   POST /v1/acquire/refunds                  → refund      keyed by refundNo
 *   GET  /v1/acquire/refunds/:no/:refundNo    → refundQuery
 *   GET  /v1/acquire/bill?day=                → settlementList
 *
 * No answer, a timeout, HTTP 5xx, an answer without a valid signature or of the wrong shape:
 * `unknown`, never paid; the flow then queries and cancels.
 */
import type { KeyObject } from 'node:crypto';
import type { ZodType } from 'zod';
import * as api from '../../../../cloud/api';
import {
  ANSWER_SIGNATURE_HEADER,
  answerKeyFrom,
  answerSignatureValid,
} from '../../../../cloud/acquire/answer-signature';
import { signRequest, SIGNATURE_HEADERS } from '../../../../cloud/auth/signing';
import type { CloudClient, TerminalCredentials } from '../../../../cloud/client';
import type { PaymentScheme } from '../../../contract';
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

export interface ReferenceConfig {
  /** The cloud's origin, as the terminal links to it (no trailing slash needed). */
  baseUrl: string;
  /** The terminal's cloud client: its credentials sign the requests; its payment key checks answers. */
  client: CloudClient;
  /** How long to wait for an answer before it is `unknown` (ms). */
  timeoutMs?: number;
}

type Unknown = { kind: 'unknown' } & AcquirerReason;

/** A verified answer: the HTTP status and the JSON body. */
interface Answer {
  status: number;
  json: unknown;
}

const UNKNOWN = {
  network: { kind: 'unknown', code: 'NETWORK', message: 'No answer could be read from the cloud.' },
  timeout: { kind: 'unknown', code: 'TIMEOUT', message: 'The cloud did not answer in time.' },
  server: { kind: 'unknown', code: 'HTTP_5XX', message: 'The cloud answered with a server error.' },
  unsigned: {
    kind: 'unknown',
    code: 'BAD_SIGNATURE',
    message: "The cloud's answer failed its signature check and was ignored.",
  },
  shape: {
    kind: 'unknown',
    code: 'BAD_RESPONSE',
    message: 'The cloud answered something unexpected.',
  },
  noKey: {
    kind: 'unknown',
    code: 'NO_CLOUD_KEY',
    message: "The cloud's payment key is not known: answers cannot be checked.",
  },
} as const satisfies Record<string, Unknown>;

function isUnknown(value: Answer | Unknown): value is Unknown {
  return 'kind' in value;
}

/** A refusal the cloud signed: its error code and words (nothing was done). */
function refusalOf(answer: Answer): AcquirerReason {
  const parsed = api.errorBody.safeParse(answer.json);
  return parsed.success
    ? { code: parsed.data.error.code, message: parsed.data.error.message }
    : { code: `HTTP_${answer.status}`, message: 'The cloud refused the request.' };
}

function tradeOutcome(trade: api.AcquireTrade): TradeOutcome {
  switch (trade.status) {
    case 'paid':
      return {
        kind: 'paid',
        acquirerTradeNo: trade.tradeNo,
        amountFen: trade.amountFen,
        paidAt: trade.paidAt ?? new Date().toISOString(),
        ...(trade.buyer === null ? {} : { buyer: trade.buyer }),
      };
    case 'waiting':
      return { kind: 'waiting' };
    case 'refused':
      return { kind: 'refused', ...(trade.reason ?? { code: 'REFUSED', message: 'Refused.' }) };
    case 'closed':
      return {
        kind: 'closed',
        ...(trade.reason ?? { code: 'TRADE_CLOSED', message: 'The trade is closed.' }),
      };
  }
}

export class ReferenceAcquirer implements Acquirer {
  readonly name = 'reference' as const;
  readonly schemes: readonly PaymentScheme[] = ['reference'];
  private readonly baseUrl: string;
  private key: KeyObject | null = null;

  constructor(private readonly config: ReferenceConfig) {
    this.baseUrl = config.baseUrl.replace(/\/+$/, '');
  }

  async payByCode(request: PayByCodeRequest): Promise<TradeOutcome> {
    const answer = await this.call('POST', '/v1/acquire/pay', {
      outTradeNo: request.outTradeNo,
      amountFen: request.amountFen,
      code: request.code,
      subject: request.subject,
    });
    if (isUnknown(answer)) return answer;
    if (answer.status !== 200) return { kind: 'refused', ...refusalOf(answer) };
    const outcome = this.parse(answer, api.acquireTrade, tradeOutcome);
    // A pay that finds its number closed (cancelled before it arrived) charged nothing.
    return outcome.kind === 'closed' ? { ...outcome, kind: 'refused' } : outcome;
  }

  async precreate(request: PrecreateRequest): Promise<PrecreateOutcome> {
    const answer = await this.call('POST', '/v1/acquire/precreate', {
      outTradeNo: request.outTradeNo,
      amountFen: request.amountFen,
      subject: request.subject,
      expiresInMinutes: request.expiresInMinutes,
    });
    if (isUnknown(answer)) return answer;
    if (answer.status !== 200) return { kind: 'refused', ...refusalOf(answer) };
    return this.parse(answer, api.acquirePrecreateResponse, (qr) => ({
      kind: 'qr',
      qrCode: qr.qrCode,
    }));
  }

  async query(outTradeNo: string): Promise<TradeOutcome> {
    const answer = await this.call('GET', `/v1/acquire/trades/${encodeURIComponent(outTradeNo)}`);
    if (isUnknown(answer)) return answer;
    if (answer.status === 404) return { kind: 'not_found' };
    if (answer.status !== 200) return { ...UNKNOWN.shape, message: refusalOf(answer).message };
    return this.parse(answer, api.acquireTrade, tradeOutcome);
  }

  async cancel(outTradeNo: string): Promise<CancelOutcome> {
    const path = `/v1/acquire/trades/${encodeURIComponent(outTradeNo)}/cancel`;
    const answer = await this.call('POST', path);
    if (isUnknown(answer)) return answer;
    if (answer.status !== 200) return { kind: 'refused', ...refusalOf(answer) };
    return this.parse(answer, api.acquireCancelResponse, (done) => ({
      kind: 'cancelled',
      refunded: done.action === 'reversed',
    }));
  }

  async refund(request: RefundRequest): Promise<RefundOutcome> {
    const answer = await this.call('POST', '/v1/acquire/refunds', {
      outTradeNo: request.outTradeNo,
      refundNo: request.refundNo,
      amountFen: request.amountFen,
    });
    if (isUnknown(answer)) return answer;
    if (answer.status === 404) return { kind: 'not_found' };
    if (answer.status !== 200) return { kind: 'refused', ...refusalOf(answer) };
    return this.parse(answer, api.acquireRefund, refundOutcome);
  }

  async refundQuery(outTradeNo: string, refundNo: string): Promise<RefundOutcome> {
    const path = `/v1/acquire/refunds/${encodeURIComponent(outTradeNo)}/${encodeURIComponent(refundNo)}`;
    const answer = await this.call('GET', path);
    if (isUnknown(answer)) return answer;
    if (answer.status === 404) return { kind: 'not_found' };
    if (answer.status !== 200) return { ...UNKNOWN.shape, message: refusalOf(answer).message };
    return this.parse(answer, api.acquireRefund, refundOutcome);
  }

  /** The store's lines of the day; throws when the cloud's answer cannot be had or trusted. */
  async settlementList(day: string): Promise<SettlementLine[]> {
    if (!/^\d{4}-\d\d-\d\d$/.test(day)) throw new Error(`day must be YYYY-MM-DD: ${day}`);
    const answer = await this.call('GET', `/v1/acquire/bill?day=${day}`);
    if (isUnknown(answer)) throw new Error(`reference bill for ${day}: ${answer.message}`);
    if (answer.status !== 200) {
      throw new Error(`reference bill for ${day}: ${refusalOf(answer).message}`);
    }
    const bill = api.acquireBill.safeParse(answer.json);
    if (!bill.success) throw new Error(`reference bill for ${day}: ${UNKNOWN.shape.message}`);
    return bill.data.lines.map((line) => ({
      outTradeNo: line.outTradeNo,
      acquirerTradeNo: line.tradeNo,
      kind: line.kind,
      amountFen: line.amountFen,
      at: line.at,
      ...(line.refundNo === undefined ? {} : { refundNo: line.refundNo }),
    }));
  }

  private parse<T, O>(answer: Answer, schema: ZodType<T>, map: (value: T) => O): O | Unknown {
    const parsed = schema.safeParse(answer.json);
    return parsed.success ? map(parsed.data) : UNKNOWN.shape;
  }

  /** The cloud's payment key: from pairing, or asked for once (CloudClient.paymentPublicKey). */
  private async answerKey(): Promise<KeyObject | null> {
    if (this.key !== null) return this.key;
    try {
      this.key = answerKeyFrom(await this.config.client.paymentPublicKey());
    } catch {
      return null;
    }
    return this.key;
  }

  private credentials(): TerminalCredentials | null {
    return this.config.client.credentials ?? null;
  }

  /**
   * One signed request; the answer only if the cloud signed it for this request. 5xx is unknown
   * even when signed: the cloud itself does not know how its transaction ended.
   */
  private async call(
    method: 'GET' | 'POST',
    pathAndQuery: string,
    body?: unknown,
  ): Promise<Answer | Unknown> {
    const creds = this.credentials();
    const key = await this.answerKey();
    if (creds === null || key === null) return UNKNOWN.noKey;
    const text = body === undefined ? '' : JSON.stringify(body);
    const signed = signRequest({
      terminalId: creds.terminalId,
      secret: Buffer.from(creds.secret, 'base64url'),
      method,
      pathAndQuery,
      body: text,
    });
    let status: number;
    let bytes: Buffer;
    let signature: string | null;
    try {
      const response = await fetch(this.baseUrl + pathAndQuery, {
        method,
        headers: {
          ...signed,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: text }),
        signal: AbortSignal.timeout(this.config.timeoutMs ?? 10_000),
      });
      status = response.status;
      signature = response.headers.get(ANSWER_SIGNATURE_HEADER);
      bytes = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      return name === 'TimeoutError' ? UNKNOWN.timeout : UNKNOWN.network;
    }
    const fields = {
      terminalId: creds.terminalId,
      method,
      pathAndQuery,
      nonce: signed[SIGNATURE_HEADERS.nonce] ?? '',
      status,
      body: bytes,
    };
    if (!answerSignatureValid(key, fields, signature)) return UNKNOWN.unsigned;
    if (status >= 500) return UNKNOWN.server;
    try {
      return { status, json: JSON.parse(bytes.toString('utf8')) as unknown };
    } catch {
      return UNKNOWN.shape;
    }
  }
}

function refundOutcome(refund: api.AcquireRefund): RefundOutcome {
  return refund.status === 'refunded'
    ? { kind: 'refunded', amountFen: refund.amountFen, refundedAt: refund.refundedAt }
    : { kind: 'refused', ...refund.reason };
}

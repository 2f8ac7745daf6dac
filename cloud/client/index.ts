/**
 * The terminal's side of the cloud API, for the sync worker and the face-pay flow. Runs under
 * plain Node (global fetch, node:crypto); imports nothing from main/ but the contract (through
 * cloud/api). Every response is validated against the API's schemas on arrival.
 *
 *   const cloud = new CloudClient({ baseUrl });
 *   const credentials = await cloud.pair('ABCD-EFGH');     // once; keep them in the terminal's data
 *   const answer = await cloud.identify({ embedding, liveness, amountFen: 1250 });
 *   if (answer.result === 'ambiguous') … cloud.identifyWithPhoneTail({ …, phoneTail: '5678' });
 *   const payment = await cloud.authorise({ token, amountFen: 1250, saleId, idempotencyKey });
 *
 * Errors: CloudRequestError with the cloud's code (e.g. REPLAYED, NOT_FOUND), or code
 * 'UNREACHABLE' when no answer came back (network down, timeout). After UNREACHABLE on
 * authorise or refund, ask `status`/`refundStatus` with the same key before retrying.
 */
import type { ZodType } from 'zod';
import * as api from '../api';
import { signRequest } from '../auth/signing';
import { identifyContext, sealEmbedding, type SealedBox } from '../crypto/seal';

export interface TerminalCredentials {
  terminalId: string;
  storeId: string;
  /** HMAC key, base64url. A secret: store it like a password, never log it. */
  secret: string;
  /** The cloud's X25519 key embeddings are sealed to. */
  identifyPublicKey: string;
  /**
   * The cloud's Ed25519 key that signs approved face payments (given at pairing; a terminal
   * paired before there was one fetches it once: paymentPublicKey()).
   */
  paymentPublicKey?: string;
}

export interface CloudClientOptions {
  /** Origin of the cloud, e.g. http://127.0.0.1:7470 (no path: the path is signed as sent). */
  baseUrl: string;
  credentials?: TerminalCredentials;
  timeoutMs?: number;
}

export type ClientErrorCode = api.CloudErrorCode | 'UNREACHABLE' | 'BAD_RESPONSE' | 'NOT_PAIRED';

export class CloudRequestError extends Error {
  override name = 'CloudRequestError';
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    /** HTTP status; 0 when there was no answer. */
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface IdentifyInput {
  /** The fused, L2-normalised embedding. Sealed here; it never leaves in the clear. */
  embedding: ArrayLike<number>;
  liveness: api.LivenessEvidence;
  amountFen: number;
}

export type CloudEvent = api.EventEnvelope;

export class CloudClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private creds: TerminalCredentials | undefined;

  constructor(options: CloudClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.creds = options.credentials;
  }

  get credentials(): TerminalCredentials | undefined {
    return this.creds;
  }

  /** Trades a one-time pairing code for this terminal's identity and signing secret. */
  async pair(code: string, terminalName?: string): Promise<TerminalCredentials> {
    const body = terminalName === undefined ? { code } : { code, terminalName };
    const paired = await this.send('POST', '/v1/pair', body, api.pairResponse, false);
    this.creds = {
      terminalId: paired.terminalId,
      storeId: paired.storeId,
      secret: paired.secret,
      identifyPublicKey: paired.identifyPublicKey,
      paymentPublicKey: paired.paymentPublicKey,
    };
    return this.creds;
  }

  /**
   * The key approved face payments must be signed with: the one given at pairing, or (paired
   * before the cloud signed payments) asked for once over this terminal's signed requests.
   */
  async paymentPublicKey(): Promise<string> {
    const creds = this.requireCredentials();
    if (creds.paymentPublicKey !== undefined) return creds.paymentPublicKey;
    const answer = await this.send('GET', '/v1/keys/payment', undefined, api.paymentKeyResponse);
    this.creds = { ...creds, paymentPublicKey: answer.publicKey };
    return answer.publicKey;
  }

  /** Seals an embedding for identify: only the cloud's private key opens it. */
  encryptEmbedding(embedding: ArrayLike<number>): SealedBox {
    const creds = this.requireCredentials();
    return sealEmbedding(embedding, creds.identifyPublicKey, identifyContext(creds.terminalId));
  }

  identify(input: IdentifyInput): Promise<api.IdentifyResponse> {
    return this.send(
      'POST',
      '/v1/identify',
      {
        sealedEmbedding: this.encryptEmbedding(input.embedding),
        liveness: input.liveness,
        amountFen: input.amountFen,
      },
      api.identifyResponse,
    );
  }

  /** The second attempt after "ambiguous": the same face, narrowed by the last 4 phone digits. */
  identifyWithPhoneTail(
    input: IdentifyInput & { phoneTail: string },
  ): Promise<api.IdentifyResponse> {
    return this.send(
      'POST',
      '/v1/identify',
      {
        sealedEmbedding: this.encryptEmbedding(input.embedding),
        liveness: input.liveness,
        amountFen: input.amountFen,
        phoneTail: input.phoneTail,
      },
      api.identifyResponse,
    );
  }

  /** Approved or declined, both as a record; the same key always returns the first answer. */
  authorise(input: {
    token: string;
    amountFen: number;
    saleId: string;
    idempotencyKey: string;
  }): Promise<api.PaymentRecord> {
    return this.send('POST', '/v1/payments/authorise', input, api.paymentRecord);
  }

  /** What became of an authorise attempt; null when the cloud never received it. */
  async status(idempotencyKey: string): Promise<api.PaymentRecord | null> {
    return this.orNull(
      this.send(
        'GET',
        `/v1/payments/by-key/${encodeURIComponent(idempotencyKey)}`,
        undefined,
        api.paymentRecord,
      ),
    );
  }

  /** `saleId` and `paymentId`: the cloud credits only its own debit for that sale. */
  refund(input: {
    saleId: string;
    paymentId: string;
    amountFen: number;
    idempotencyKey: string;
    reason?: string;
  }): Promise<api.RefundRecord> {
    return this.send('POST', '/v1/refunds', input, api.refundRecord);
  }

  async refundStatus(idempotencyKey: string): Promise<api.RefundRecord | null> {
    return this.orNull(
      this.send(
        'GET',
        `/v1/refunds/by-key/${encodeURIComponent(idempotencyKey)}`,
        undefined,
        api.refundRecord,
      ),
    );
  }

  /** Up to 1,000 outbox events; every id in `acknowledged` is safely stored (new or not). */
  ingestEvents(events: readonly CloudEvent[]): Promise<api.IngestResponse> {
    return this.send('POST', '/v1/events', { events }, api.ingestResponse);
  }

  /** The till's audit chain head, compared with the anchors the cloud holds (cloud/audit). */
  anchorAudit(request: api.AnchorRequest): Promise<api.AnchorResponse> {
    return this.send('POST', '/v1/audit/anchor', request, api.anchorResponse);
  }

  joinMembership(input: {
    paymentId: string;
    consent: { textVersion: string; acceptedAt: string };
  }): Promise<api.JoinResponse> {
    return this.send('POST', '/v1/membership/join', input, api.joinResponse);
  }

  /** Products changed since `since`; keep the returned `version` and ask again while hasMore. */
  pullCatalog(since = 0, limit = 500): Promise<api.CatalogResponse> {
    return this.send(
      'GET',
      `/v1/catalog?since=${since}&limit=${limit}`,
      undefined,
      api.catalogResponse,
    );
  }

  storeDailyReport(businessDate: string): Promise<api.StoreDailyReport> {
    const store = encodeURIComponent(this.requireCredentials().storeId);
    return this.send(
      'GET',
      `/v1/stores/${store}/reports/daily?date=${encodeURIComponent(businessDate)}`,
      undefined,
      api.storeDailyReport,
    );
  }

  private requireCredentials(): TerminalCredentials {
    if (this.creds === undefined) {
      throw new CloudRequestError('NOT_PAIRED', 'this terminal is not paired with the cloud', 0);
    }
    return this.creds;
  }

  private async orNull<T>(request: Promise<T>): Promise<T | null> {
    try {
      return await request;
    } catch (error) {
      if (error instanceof CloudRequestError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  private async send<T>(
    method: 'GET' | 'POST',
    pathAndQuery: string,
    body: unknown,
    schema: ZodType<T>,
    signed = true,
  ): Promise<T> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> =
      body === undefined ? {} : { 'content-type': 'application/json' };
    if (signed) {
      const creds = this.requireCredentials();
      Object.assign(
        headers,
        signRequest({
          terminalId: creds.terminalId,
          secret: Buffer.from(creds.secret, 'base64url'),
          method,
          pathAndQuery,
          body: text,
        }),
      );
    }
    let response: Response;
    try {
      response = await fetch(this.baseUrl + pathAndQuery, {
        method,
        headers,
        ...(body === undefined ? {} : { body: text }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CloudRequestError('UNREACHABLE', `no answer from the cloud: ${reason}`, 0);
    }
    return parseResponse(response, schema);
  }
}

/** Shared with the admin client: a typed body on 2xx, a CloudRequestError otherwise. */
export async function parseResponse<T>(response: Response, schema: ZodType<T>): Promise<T> {
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new CloudRequestError(
      'BAD_RESPONSE',
      `HTTP ${response.status} without a JSON body`,
      response.status,
    );
  }
  if (!response.ok) {
    const parsed = api.errorBody.safeParse(json);
    if (!parsed.success) {
      throw new CloudRequestError('BAD_RESPONSE', `HTTP ${response.status}`, response.status);
    }
    const { code, message, field } = parsed.data.error;
    throw new CloudRequestError(code, message, response.status, field);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CloudRequestError(
      'BAD_RESPONSE',
      `unexpected response: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`,
      response.status,
    );
  }
  return parsed.data;
}

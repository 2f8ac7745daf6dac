/**
 * The back office's side of the API (bearer admin token): stores, pairing codes, payers and
 * their face templates, wallet top-ups, products, coupons, reports. Used by the CLI and tests.
 */
import { z, type ZodType } from 'zod';
import * as api from '../api';
import { ENROL_CONTEXT, sealEmbedding } from '../crypto/seal';
import { CloudRequestError, parseResponse } from './index';

export class AdminClient {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly token: string,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  createStore(input: { storeId: string; name: string; timezone?: string }) {
    return this.send('POST', '/v1/admin/stores', input, api.createStoreRequest);
  }

  pairingCode(storeId: string, terminalName?: string) {
    return this.send(
      'POST',
      '/v1/admin/pairing-codes',
      { storeId, terminalName },
      api.pairingCodeResponse,
    );
  }

  createPayer(input: z.input<typeof api.createPayerRequest>) {
    return this.send('POST', '/v1/admin/payers', input, api.payerView);
  }

  payer(payerId: string) {
    return this.send(
      'GET',
      `/v1/admin/payers/${encodeURIComponent(payerId)}`,
      undefined,
      api.payerView,
    );
  }

  setLimits(payerId: string, limits: { perTxLimitFen?: number; dailyLimitFen?: number }) {
    return this.send(
      'POST',
      `/v1/admin/payers/${encodeURIComponent(payerId)}/limits`,
      limits,
      api.payerView,
    );
  }

  topUp(payerId: string, amountFen: number, reference: string) {
    return this.send(
      'POST',
      `/v1/admin/payers/${encodeURIComponent(payerId)}/topup`,
      { amountFen, reference },
      api.payerView,
    );
  }

  /**
   * Enrols face templates. `sealTo` (the cloud's public key) seals them for the wire, as a
   * terminal's camera enrolment does; without it they travel as plain vectors.
   */
  enrol(
    payerId: string,
    embeddings: readonly ArrayLike<number>[],
    options: {
      source: (typeof api.ENROL_SOURCES)[number];
      consent: { textVersion: string; recordedBy: string; acceptedAt?: string };
      sealTo?: string;
    },
  ) {
    const vectors =
      options.sealTo === undefined
        ? { embeddings: embeddings.map((e) => Array.from(e)) }
        : {
            sealedEmbeddings: embeddings.map((e) =>
              sealEmbedding(e, options.sealTo as string, ENROL_CONTEXT),
            ),
          };
    return this.send(
      'POST',
      `/v1/admin/payers/${encodeURIComponent(payerId)}/templates`,
      { ...vectors, source: options.source, consent: options.consent },
      api.enrolResponse,
    );
  }

  /**
   * Enrols from photos (JPEG, PNG, WebP or AVIF bytes): the cloud embeds them with the face
   * pipeline and keeps only the templates; `refused` lists photos left out, with the reason. The photos travel once, over this (back-office) connection.
   */
  enrolPhotos(
    payerId: string,
    photos: readonly Uint8Array[],
    consent: { textVersion: string; recordedBy: string; acceptedAt?: string },
  ) {
    return this.send(
      'POST',
      `/v1/admin/payers/${encodeURIComponent(payerId)}/templates/images`,
      { images: photos.map((p) => Buffer.from(p).toString('base64')), consent },
      api.enrolResponse,
    );
  }

  /** The key a camera enrolment seals its embedding to. */
  identifyPublicKey() {
    return this.send('GET', '/v1/keys/identify', undefined, api.publicKeyResponse);
  }

  revokeTemplates(payerId: string) {
    return this.send(
      'DELETE',
      `/v1/admin/payers/${encodeURIComponent(payerId)}/templates`,
      undefined,
      z.object({ revoked: z.number().int() }),
    );
  }

  upsertProducts(products: api.CatalogProductInput[]) {
    return this.send('POST', '/v1/admin/products', { products }, api.upsertProductsResponse);
  }

  issueCoupon(memberId: string, input: z.input<typeof api.couponRequest>) {
    return this.send(
      'POST',
      `/v1/admin/members/${encodeURIComponent(memberId)}/coupons`,
      input,
      api.coupon,
    );
  }

  storeDailyReport(storeId: string, businessDate: string) {
    return this.send(
      'GET',
      `/v1/stores/${encodeURIComponent(storeId)}/reports/daily?date=${encodeURIComponent(businessDate)}`,
      undefined,
      api.storeDailyReport,
    );
  }

  /** Terminals whose audit chain no longer matches the anchors the cloud holds. */
  auditAlerts(storeId?: string) {
    const query = storeId === undefined ? '' : `?store=${encodeURIComponent(storeId)}`;
    return this.send('GET', `/v1/admin/audit-alerts${query}`, undefined, api.auditAlertsResponse);
  }

  /** Reported face payments that match no debit of the cloud's own (ingest/reconcile.ts). */
  reconciliationExceptions(storeId: string) {
    return this.send(
      'GET',
      `/v1/admin/reconciliation/exceptions?storeId=${encodeURIComponent(storeId)}`,
      undefined,
      api.reconciliationExceptions,
    );
  }

  chainDailyReport(businessDate: string) {
    return this.send(
      'GET',
      `/v1/admin/reports/daily?date=${encodeURIComponent(businessDate)}`,
      undefined,
      api.chainDailyReport,
    );
  }

  terminals() {
    return this.send('GET', '/v1/admin/terminals', undefined, api.terminalList);
  }

  /** Every request signed with the terminal's key is refused from now on. */
  revokeTerminal(terminalId: string) {
    return this.send(
      'POST',
      `/v1/admin/terminals/${encodeURIComponent(terminalId)}/revoke`,
      undefined,
      api.terminalView,
    );
  }

  alerts(limit = 100) {
    return this.send('GET', `/v1/admin/alerts?limit=${limit}`, undefined, api.alertList);
  }

  /** A payer's one-time payment code, as their phone would show it (the reference acquirer). */
  payCode(payerId: string, options: { confirm?: boolean } = {}) {
    return this.send(
      'POST',
      '/v1/admin/acquire/paycodes',
      { payerId, confirm: options.confirm ?? false },
      api.paycodeResponse,
    );
  }

  /** The payer confirms on the phone: their waiting code payments are settled. */
  confirmPayments(payerId: string) {
    return this.send('POST', '/v1/admin/acquire/confirm', { payerId }, api.confirmResponse);
  }

  /**
   * The payer's phone scans a merchant QR (`<cloud>/v1/acquire/qr/<token>`) and pays it. The
   * token is taken from the URL; the request goes to this client's cloud.
   */
  scanQr(payerId: string, qrUrl: string) {
    const token = /\/v1\/acquire\/qr\/([A-Za-z0-9_-]+)$/.exec(qrUrl)?.[1];
    if (token === undefined) {
      throw new CloudRequestError('VALIDATION', `not a QR code of this cloud: ${qrUrl}`, 0, 'url');
    }
    return this.send('POST', `/v1/admin/acquire/qr/${token}/pay`, { payerId }, api.scanResponse);
  }

  private async send<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body: unknown,
    schema: ZodType<T>,
  ): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CloudRequestError(
        'UNREACHABLE',
        `no answer from the cloud at ${this.baseUrl}: ${reason}`,
        0,
      );
    }
    return parseResponse(response, schema);
  }
}

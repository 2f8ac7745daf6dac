/**
 * The acquire routes. Terminals call them with their usual signed requests (http.ts admission,
 * the same HMAC as every other terminal route); every answer a terminal gets here, refusals
 * included, carries the cloud's Ed25519 signature bound to that request (answer-signature.ts).
 * The back office plays the payer's phone: paycode, confirm, scan (admin token).
 */
import type { FastifyInstance } from 'fastify';
import * as api from '../api';
import type { PaymentSigner } from '../crypto/payment-key';
import { CloudError } from '../errors';
import type { Router } from '../http';
import { ANSWER_SIGNATURE_HEADER, acquireAnswerMessage } from './answer-signature';
import type { AcquireService } from './service';

export const ACQUIRE_PREFIX = '/v1/acquire/';

export function acquireRoutes(
  app: FastifyInstance,
  router: Router,
  service: AcquireService,
  signer: PaymentSigner,
): void {
  // Signed last, over the exact bytes sent: only answers to a terminal whose request verified.
  app.addHook('onSend', async (request, reply, payload) => {
    const admitted = request.admitted;
    if (!request.url.startsWith(ACQUIRE_PREFIX) || admitted === null) return payload;
    if (request.terminalId === null) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const message = acquireAnswerMessage({
      terminalId: request.terminalId,
      method: request.method,
      pathAndQuery: request.url,
      nonce: admitted.nonce,
      status: reply.statusCode,
      body: payload,
    });
    void reply.header(ANSWER_SIGNATURE_HEADER, signer.signMessage(message));
    return payload;
  });

  const notFound = () =>
    new CloudError('NOT_FOUND', 'no trade with that number for this terminal', 'outTradeNo');

  router.add({
    method: 'POST',
    url: '/v1/acquire/pay',
    auth: 'terminal',
    body: api.acquirePayRequest,
    handler: ({ body, terminal }) => service.pay(terminal, body),
  });

  router.add({
    method: 'GET',
    url: '/v1/acquire/trades/:outTradeNo',
    auth: 'terminal',
    params: api.acquireTradeParams,
    handler: async ({ params, terminal }) => {
      const trade = await service.query(terminal, params.outTradeNo);
      if (trade === null) throw notFound();
      return trade;
    },
  });

  router.add({
    method: 'POST',
    url: '/v1/acquire/trades/:outTradeNo/cancel',
    auth: 'terminal',
    params: api.acquireTradeParams,
    handler: ({ params, terminal }) => service.cancel(terminal, params.outTradeNo),
  });

  router.add({
    method: 'POST',
    url: '/v1/acquire/refunds',
    auth: 'terminal',
    body: api.acquireRefundRequest,
    handler: ({ body, terminal }) => service.refund(terminal, body),
  });

  router.add({
    method: 'GET',
    url: '/v1/acquire/refunds/:outTradeNo/:refundNo',
    auth: 'terminal',
    params: api.acquireRefundParams,
    handler: async ({ params, terminal }) => {
      const refund = await service.refundQuery(terminal, params.outTradeNo, params.refundNo);
      if (refund === null) throw new CloudError('NOT_FOUND', 'no refund with that number');
      return refund;
    },
  });

  router.add({
    method: 'POST',
    url: '/v1/acquire/precreate',
    auth: 'terminal',
    body: api.acquirePrecreateRequest,
    handler: ({ body, terminal, reply }) => {
      // The QR points at this cloud as the terminal reached it.
      const request = reply.request;
      return service.precreate(terminal, body, `${request.protocol}://${request.host}`);
    },
  });

  router.add({
    method: 'GET',
    url: '/v1/acquire/bill',
    auth: 'terminal',
    query: api.acquireBillQuery,
    handler: async ({ query, terminal }) => ({
      storeId: terminal.storeId,
      day: query.day,
      lines: await service.bill(terminal, query.day),
    }),
  });

  // What the QR encodes: public, the random token is the capability (it lets one pay, not take).
  router.add({
    method: 'GET',
    url: '/v1/acquire/qr/:token',
    auth: 'public',
    params: api.acquireQrParams,
    handler: async ({ params }) => {
      const view = await service.qrView(params.token);
      if (view === null) throw new CloudError('NOT_FOUND', 'no such QR code');
      return view;
    },
  });

  // The payer's phone, played by the back office (cli paycode / confirm / scan).
  router.add({
    method: 'POST',
    url: '/v1/admin/acquire/paycodes',
    auth: 'admin',
    body: api.paycodeRequest,
    handler: ({ body }) => service.issueCode(body.payerId, body.confirm),
  });

  router.add({
    method: 'POST',
    url: '/v1/admin/acquire/confirm',
    auth: 'admin',
    body: api.confirmRequest,
    handler: async ({ body }) => ({ trades: await service.confirm(body.payerId) }),
  });

  router.add({
    method: 'POST',
    url: '/v1/admin/acquire/qr/:token/pay',
    auth: 'admin',
    params: api.acquireQrParams,
    body: api.scanRequest,
    handler: ({ params, body }) => service.scan(params.token, body.payerId),
  });
}

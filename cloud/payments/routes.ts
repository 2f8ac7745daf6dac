import * as api from '../api';
import { CloudError } from '../errors';
import type { Router } from '../http';
import type { Limiter } from '../limits/limiter';
import type { PaymentService } from './service';

export function paymentRoutes(router: Router, service: PaymentService, limiter: Limiter): void {
  /** 200 with status approved or declined: both are the stored answer for the key. */
  router.add({
    method: 'POST',
    url: '/v1/payments/authorise',
    auth: 'terminal',
    body: api.authoriseRequest,
    handler: async ({ body, terminal }) => {
      // Per payer, authorise is bounded by the matches that issue its tokens (identify).
      await limiter.take('authorisePerTerminal', terminal.id);
      return service.authorise(terminal, body);
    },
  });

  /** 404 means the cloud never received the attempt: retrying with the same key is safe. */
  router.add({
    method: 'GET',
    url: '/v1/payments/by-key/:key',
    auth: 'terminal',
    params: api.byKeyParams,
    handler: async ({ params, terminal }) => {
      const found = await service.statusByKey(terminal, params.key);
      if (found === null) throw new CloudError('NOT_FOUND', 'no payment attempt with that key');
      return found;
    },
  });

  router.add({
    method: 'POST',
    url: '/v1/refunds',
    auth: 'terminal',
    body: api.refundRequest,
    handler: ({ body, terminal }) => service.refund(terminal, body),
  });

  router.add({
    method: 'GET',
    url: '/v1/refunds/by-key/:key',
    auth: 'terminal',
    params: api.byKeyParams,
    handler: async ({ params, terminal }) => {
      const found = await service.refundStatusByKey(terminal, params.key);
      if (found === null) throw new CloudError('NOT_FOUND', 'no refund with that key');
      return found;
    },
  });
}

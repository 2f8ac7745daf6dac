import * as api from '../api';
import { CloudError } from '../errors';
import type { Router } from '../http';
import type { AuthenticatedTerminal } from '../auth/terminals';
import type { Db } from '../db';
import type { Limiter } from '../limits/limiter';
import { memberGreetingForPayment } from '../membership/service';
import type { PaymentService } from './service';

export function paymentRoutes(
  router: Router,
  service: PaymentService,
  limiter: Limiter,
  db: Db,
): void {
  /** An approved payment's answer greets a member of this store (points, coupons). */
  const withMember = async (
    terminal: AuthenticatedTerminal,
    record: api.PaymentRecord,
  ): Promise<api.PaymentRecord> => ({
    ...record,
    member:
      record.status === 'approved'
        ? await memberGreetingForPayment(db, terminal.storeId, record.paymentId)
        : null,
  });

  /** 200 with status approved or declined: both are the stored answer for the key. */
  router.add({
    method: 'POST',
    url: '/v1/payments/authorise',
    auth: 'terminal',
    body: api.authoriseRequest,
    handler: async ({ body, terminal }) => {
      // Per payer, authorise is bounded by the matches that issue its tokens (identify).
      await limiter.take('authorisePerTerminal', terminal.id);
      return withMember(terminal, await service.authorise(terminal, body));
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
      return withMember(terminal, found);
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

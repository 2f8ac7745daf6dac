import * as api from '../api';
import { ENROL_CONTEXT, type SealOpener } from '../crypto/seal';
import { CloudError } from '../errors';
import type { Router } from '../http';
import type { PayerService } from './service';

export function payerRoutes(
  router: Router,
  service: PayerService,
  opener: SealOpener,
  dim: number,
): void {
  router.add({
    method: 'POST',
    url: '/v1/admin/payers',
    auth: 'admin',
    body: api.createPayerRequest,
    status: 201,
    handler: ({ body }) => service.create(body),
  });

  router.add({
    method: 'GET',
    url: '/v1/admin/payers/:payerId',
    auth: 'admin',
    params: api.payerParams,
    handler: ({ params }) => service.get(params.payerId),
  });

  router.add({
    method: 'POST',
    url: '/v1/admin/payers/:payerId/limits',
    auth: 'admin',
    params: api.payerParams,
    body: api.limitsRequest,
    handler: ({ params, body }) => service.setLimits(params.payerId, body),
  });

  router.add({
    method: 'POST',
    url: '/v1/admin/payers/:payerId/topup',
    auth: 'admin',
    params: api.payerParams,
    body: api.topupRequest,
    handler: ({ params, body }) => service.topUp(params.payerId, body.amountFen, body.reference),
  });

  /** Enrol face templates with the payer's consent: plain vectors, or sealed from a camera. */
  router.add({
    method: 'POST',
    url: '/v1/admin/payers/:payerId/templates',
    auth: 'admin',
    params: api.payerParams,
    body: api.enrolRequest,
    status: 201,
    handler: async ({ params, body }) => {
      const vectors =
        body.embeddings ??
        (body.sealedEmbeddings ?? []).map((box, i) => {
          try {
            return opener.open(box, ENROL_CONTEXT);
          } catch {
            throw new CloudError(
              'DECRYPTION_FAILED',
              'a sealed embedding does not open',
              `body.sealedEmbeddings.${i}`,
            );
          }
        });
      const templateIds = await service.enrol(
        params.payerId,
        vectors,
        body.source,
        body.consent,
        dim,
      );
      return { templateIds, templates: (await service.get(params.payerId)).templates };
    },
  });

  /** Consent withdrawn: the payer's face stops matching everywhere. */
  router.add({
    method: 'DELETE',
    url: '/v1/admin/payers/:payerId/templates',
    auth: 'admin',
    params: api.payerParams,
    handler: async ({ params }) => ({ revoked: await service.revokeTemplates(params.payerId) }),
  });
}

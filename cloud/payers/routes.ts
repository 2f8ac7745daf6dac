import * as api from '../api';
import { ENROL_CONTEXT, type SealOpener } from '../crypto/seal';
import { CloudError } from '../errors';
import type { Router } from '../http';
import type { PhotoEmbedder } from './photo-embedder';
import type { PayerService } from './service';

export function payerRoutes(
  router: Router,
  service: PayerService,
  opener: SealOpener,
  dim: number,
  photos: PhotoEmbedder,
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
    bodyLimit: api.ENROL_BODY_LIMIT,
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

  /**
   * Enrol from photos: uploaded (JPEG, PNG, WebP or AVIF, base64), embedded here by the face
   * pipeline, then dropped. Only the templates are stored, under the consent recorded with
   * them. A bad photo is left out with its reason (`refused`); see photo-embedder.ts's rule.
   */
  router.add({
    method: 'POST',
    url: '/v1/admin/payers/:payerId/templates/images',
    auth: 'admin',
    params: api.payerParams,
    body: api.enrolPhotosRequest,
    bodyLimit: api.ENROL_PHOTOS_BODY_LIMIT,
    status: 201,
    handler: async ({ params, body }) => {
      await service.get(params.payerId); // an unknown payer before the costly part
      const decoded = body.images.map((text, i) => {
        const bytes = Buffer.from(text, 'base64');
        if (bytes.length > api.MAX_ENROL_PHOTO_BYTES) {
          throw new CloudError('VALIDATION', 'a photo is too large', `body.images.${i}`);
        }
        return bytes;
      });
      let vectors: Float32Array[];
      let refused: { field: string; message: string }[];
      try {
        ({ embeddings: vectors, refused } = await photos.embed(decoded, 'body.images'));
      } finally {
        for (const bytes of decoded) bytes.fill(0); // the photos go no further than this
      }
      const templateIds = await service.enrol(params.payerId, vectors, 'images', body.consent, dim);
      for (const v of vectors) v.fill(0);
      return { templateIds, templates: (await service.get(params.payerId)).templates, refused };
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

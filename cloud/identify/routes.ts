import * as api from '../api';
import type { Router } from '../http';
import type { IdentifyService } from './service';

export function identifyRoutes(router: Router, service: IdentifyService): void {
  router.add({
    method: 'POST',
    url: '/v1/identify',
    auth: 'terminal',
    body: api.identifyRequest,
    handler: ({ body, terminal, signedAt }) =>
      service.identify(terminal, body, signedAt ?? Number.NaN),
  });
}

import { z } from 'zod';
import * as api from '../api';
import type { Router } from '../http';
import type { AuditAnchorService } from './service';

export function auditRoutes(router: Router, service: AuditAnchorService): void {
  router.add({
    method: 'POST',
    url: '/v1/audit/anchor',
    auth: 'terminal',
    body: api.anchorRequest,
    handler: ({ body, terminal }) => service.anchor(terminal, body),
  });
  router.add({
    method: 'GET',
    url: '/v1/admin/audit-alerts',
    auth: 'admin',
    query: z.object({ store: z.string().min(1).max(64).optional() }),
    handler: async ({ query }) => ({ alerts: await service.alerts(query.store) }),
  });
}

import * as api from '../api';
import type { Router } from '../http';
import type { Db } from '../db';
import { reconciliationExceptions } from './reconcile';
import type { IngestService } from './service';

export function ingestRoutes(router: Router, service: IngestService, db: Db): void {
  /** The back office: reported face payments that match no debit of the cloud's own. */
  router.add({
    method: 'GET',
    url: '/v1/admin/reconciliation/exceptions',
    auth: 'admin',
    query: api.reconciliationQuery,
    handler: async ({ query }) => ({
      exceptions: await reconciliationExceptions(db, query.storeId),
    }),
  });

  router.add({
    method: 'POST',
    url: '/v1/events',
    auth: 'terminal',
    bodyLimit: api.INGEST_BODY_LIMIT,
    body: api.ingestRequest,
    handler: ({ body, terminal }) => service.ingest(terminal, body.events),
  });
}

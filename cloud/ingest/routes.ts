import * as api from '../api';
import type { Router } from '../http';
import type { IngestService } from './service';

export function ingestRoutes(router: Router, service: IngestService): void {
  router.add({
    method: 'POST',
    url: '/v1/events',
    auth: 'terminal',
    bodyLimit: api.INGEST_BODY_LIMIT,
    body: api.ingestRequest,
    handler: ({ body, terminal }) => service.ingest(terminal, body.events),
  });
}

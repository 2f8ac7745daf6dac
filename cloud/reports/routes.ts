import * as api from '../api';
import { CloudError } from '../errors';
import type { Router } from '../http';
import type { ReportService } from './service';

export function reportRoutes(router: Router, service: ReportService): void {
  /** The back office, or a terminal of that store (the manager screen). */
  router.add({
    method: 'GET',
    url: '/v1/stores/:storeId/reports/daily',
    auth: 'terminal-or-admin',
    params: api.storeParams,
    query: api.dailyReportQuery,
    handler: async ({ params, query, terminal }) => {
      if (terminal !== null && terminal.storeId !== params.storeId) {
        throw new CloudError('FORBIDDEN', "a terminal may read only its own store's reports");
      }
      return service.storeDaily(params.storeId, query.date);
    },
  });

  router.add({
    method: 'GET',
    url: '/v1/admin/reports/daily',
    auth: 'admin',
    query: api.dailyReportQuery,
    handler: ({ query }) => service.chainDaily(query.date),
  });
}

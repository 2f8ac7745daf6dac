import * as api from '../api';
import type { Db } from '../db';
import type { Router } from '../http';
import { recentAlerts } from './limiter';

export function alertRoutes(router: Router, db: Db): void {
  /** Newest first: bursts the limits refused, for a person to look at. */
  router.add({
    method: 'GET',
    url: '/v1/admin/alerts',
    auth: 'admin',
    query: api.alertsQuery,
    handler: async ({ query }) => ({ alerts: await recentAlerts(db, query.limit) }),
  });
}

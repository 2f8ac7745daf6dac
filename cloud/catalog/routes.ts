import * as api from '../api';
import type { Router } from '../http';
import type { CatalogService } from './service';

export function catalogRoutes(router: Router, service: CatalogService): void {
  router.add({
    method: 'GET',
    url: '/v1/catalog',
    auth: 'terminal',
    query: api.catalogQuery,
    handler: ({ query }) => service.changesSince(query.since, query.limit),
  });

  router.add({
    method: 'POST',
    url: '/v1/admin/products',
    auth: 'admin',
    bodyLimit: api.PRODUCTS_BODY_LIMIT,
    body: api.upsertProductsRequest,
    handler: ({ body }) => service.upsert(body.products),
  });
}

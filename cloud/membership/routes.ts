import * as api from '../api';
import type { Router } from '../http';
import type { MembershipService } from './service';

export function membershipRoutes(router: Router, service: MembershipService): void {
  router.add({
    method: 'POST',
    url: '/v1/membership/join',
    auth: 'terminal',
    body: api.joinRequest,
    handler: ({ body, terminal }) => service.join(terminal, body),
  });

  router.add({
    method: 'POST',
    url: '/v1/admin/members/:memberId/coupons',
    auth: 'admin',
    params: api.memberParams,
    body: api.couponRequest,
    status: 201,
    handler: ({ params, body }) => service.issueCoupon(params.memberId, body),
  });
}

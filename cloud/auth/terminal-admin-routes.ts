/** The back office's view of paired terminals, and revocation (a stolen or retired till). */
import * as api from '../api';
import type { Db } from '../db';
import type { Router } from '../http';
import { listTerminals, revokeTerminal } from './terminals';

export function terminalAdminRoutes(router: Router, db: Db): void {
  router.add({
    method: 'GET',
    url: '/v1/admin/terminals',
    auth: 'admin',
    handler: async () => ({ terminals: await listTerminals(db) }),
  });

  /** From now on every request signed with the terminal's key is refused (TERMINAL_REVOKED). */
  router.add({
    method: 'POST',
    url: '/v1/admin/terminals/:terminalId/revoke',
    auth: 'admin',
    params: api.terminalParams,
    handler: ({ params }) => revokeTerminal(db, params.terminalId),
  });
}

/** What the store's thunks need from the client (a fake stands in for it in tests). */
import type { PosClient } from '../api/client';

export type Api = Pick<PosClient, 'invoke' | 'whenConnected'>;

export interface ThunkExtra {
  api: Api;
}

/**
 * Keeps the store in step with main: events replace the sale and the shift as they change, the
 * connection state is mirrored, and after every (re)connection the screen reloads what it shows
 * (events sent while disconnected are lost, so the server's current state is fetched again).
 */
import type { PosClient } from '../api/client';
import { connectionChanged } from '../features/connection/connectionSlice';
import { loadDailyReport } from '../features/report/reportSlice';
import { loadCurrentSale, saleChanged, saleCompleted } from '../features/sale/saleSlice';
import { loadShift, shiftChanged } from '../features/shift/shiftSlice';
import { loadSystemInfo } from '../features/system/systemSlice';
import type { Screen } from './screen';
import type { AppStore } from './store';

type SyncClient = Pick<PosClient, 'subscribe' | 'onConnectionChange' | 'connection'>;

export function syncStoreWithClient(
  store: AppStore,
  client: SyncClient,
  screen: Screen,
): () => void {
  const { dispatch } = store;

  const reloadReport = (): void => {
    const date = store.getState().report.date;
    if (date !== null) void dispatch(loadDailyReport(date));
  };

  const reload = (): void => {
    void dispatch(loadSystemInfo());
    if (screen === 'manager') {
      reloadReport();
      return;
    }
    void dispatch(loadCurrentSale());
    if (screen === 'cashier') void dispatch(loadShift());
  };

  const offs = [
    client.subscribe('sale.changed', ({ sale }) => dispatch(saleChanged(sale))),
    client.subscribe('sale.completed', ({ sale }) => {
      dispatch(saleCompleted(sale));
      if (screen === 'manager') reloadReport();
    }),
    client.subscribe('shift.changed', ({ shift }) => dispatch(shiftChanged(shift))),
    client.onConnectionChange((state) => {
      dispatch(connectionChanged(state));
      if (state === 'connected') reload();
    }),
  ];

  dispatch(connectionChanged(client.connection));
  if (client.connection === 'connected') reload();

  return () => {
    for (const off of offs) off();
  };
}

/**
 * Keeps the store in step with main: events replace the sale and the shift as they change, the
 * connection state is mirrored, and after every (re)connection the screen reloads what it shows
 * (events sent while disconnected are lost, so the server's current state is fetched again).
 */
import type { PosClient } from '../api/client';
import { auditChanged, loadAuditStatus } from '../features/audit/auditSlice';
import { loadOperator, operatorChanged } from '../features/auth/authSlice';
import { loadCategories } from '../features/categories/categoriesSlice';
import { connectionChanged } from '../features/connection/connectionSlice';
import { loadPosters, paymentAnnounced } from '../features/display/displaySlice';
import { loadPeripherals, peripheralsChanged } from '../features/peripherals/peripheralsSlice';
import { loadPole, poleChanged } from '../features/pole/poleSlice';
import { loadManagerSession, loadShifts } from '../features/manager/managerSlice';
import { loadDailyReport } from '../features/report/reportSlice';
import { payCodeProgressed } from '../features/paycode/payCodeSlice';
import { qrStateChanged } from '../features/qr/qrSlice';
import { loadCurrentSale, saleChanged, saleCompleted } from '../features/sale/saleSlice';
import { loadShift, shiftChanged } from '../features/shift/shiftSlice';
import { loadSyncStatus, syncStatusChanged } from '../features/sync/syncSlice';
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

  // The manager's figures: the thunks do not start without a manager session on this screen.
  const reloadReport = (): void => {
    const date = store.getState().report.date;
    if (date === null) return;
    void dispatch(loadDailyReport(date));
    void dispatch(loadShifts(date));
  };

  const reload = (): void => {
    void dispatch(loadSystemInfo());
    if (screen === 'manager') {
      void dispatch(loadSyncStatus());
      void dispatch(loadAuditStatus());
      // A new connection has no session (main binds it to the connection): ask, then reload.
      void dispatch(loadManagerSession()).then(reloadReport);
      return;
    }
    void dispatch(loadCurrentSale());
    void dispatch(loadPole());
    if (screen === 'customer') {
      void dispatch(loadPosters());
      return;
    }
    void dispatch(loadShift());
    void dispatch(loadOperator());
    void dispatch(loadSyncStatus());
    void dispatch(loadAuditStatus());
    void dispatch(loadCategories());
    void dispatch(loadPeripherals());
  };

  const offs = [
    client.subscribe('sale.changed', ({ sale }) => dispatch(saleChanged(sale))),
    client.subscribe('sale.completed', ({ sale }) => {
      dispatch(saleCompleted(sale));
      if (screen === 'manager') reloadReport();
    }),
    client.subscribe('shift.changed', ({ shift }) => dispatch(shiftChanged(shift))),
    client.subscribe('auth.changed', ({ staff }) => dispatch(operatorChanged(staff))),
    client.subscribe('sync.status', (status) => dispatch(syncStatusChanged(status))),
    client.subscribe('display.payment', (payment) => dispatch(paymentAnnounced(payment))),
    client.subscribe('peripherals.status', (status) => dispatch(peripheralsChanged(status))),
    client.subscribe('pole.display', (status) => dispatch(poleChanged(status))),
    client.subscribe('ledger.audit', (status) => dispatch(auditChanged(status))),
    client.subscribe('qr.state', (state) => dispatch(qrStateChanged(state))),
    client.subscribe('paycode.progress', (progress) =>
      dispatch(payCodeProgressed({ progress, receivedAt: Date.now() })),
    ),
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

import { combineSlices, configureStore } from '@reduxjs/toolkit';
import { authSlice } from '../features/auth/authSlice';
import { catalogSlice } from '../features/catalog/catalogSlice';
import { categoriesSlice } from '../features/categories/categoriesSlice';
import { displaySlice } from '../features/display/displaySlice';
import { facePaySlice } from '../features/facepay/facePaySlice';
import { payCodeSlice } from '../features/paycode/payCodeSlice';
import { qrSlice } from '../features/qr/qrSlice';
import { heldSlice } from '../features/held/heldSlice';
import { managerSlice } from '../features/manager/managerSlice';
import { connectionSlice } from '../features/connection/connectionSlice';
import { peripheralsSlice } from '../features/peripherals/peripheralsSlice';
import { poleSlice } from '../features/pole/poleSlice';
import { reportSlice } from '../features/report/reportSlice';
import { saleSlice } from '../features/sale/saleSlice';
import { shiftSlice } from '../features/shift/shiftSlice';
import { syncSlice } from '../features/sync/syncSlice';
import { auditSlice } from '../features/audit/auditSlice';
import { systemSlice } from '../features/system/systemSlice';
import type { Api } from './api';

export const rootReducer = combineSlices(
  connectionSlice,
  systemSlice,
  shiftSlice,
  saleSlice,
  catalogSlice,
  reportSlice,
  authSlice,
  syncSlice,
  displaySlice,
  categoriesSlice,
  heldSlice,
  managerSlice,
  facePaySlice,
  payCodeSlice,
  qrSlice,
  peripheralsSlice,
  poleSlice,
  auditSlice,
);

export type RootState = ReturnType<typeof rootReducer>;

export function createAppStore(api: Api, preloadedState?: Partial<RootState>) {
  return configureStore({
    reducer: rootReducer,
    preloadedState,
    middleware: (getDefault) => getDefault({ thunk: { extraArgument: { api } } }),
  });
}

export type AppStore = ReturnType<typeof createAppStore>;
export type AppDispatch = AppStore['dispatch'];

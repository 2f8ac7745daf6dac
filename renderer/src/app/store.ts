import { combineSlices, configureStore } from '@reduxjs/toolkit';
import { catalogSlice } from '../features/catalog/catalogSlice';
import { connectionSlice } from '../features/connection/connectionSlice';
import { reportSlice } from '../features/report/reportSlice';
import { saleSlice } from '../features/sale/saleSlice';
import { shiftSlice } from '../features/shift/shiftSlice';
import { systemSlice } from '../features/system/systemSlice';
import type { Api } from './api';

export const rootReducer = combineSlices(
  connectionSlice,
  systemSlice,
  shiftSlice,
  saleSlice,
  catalogSlice,
  reportSlice,
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

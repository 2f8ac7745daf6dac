import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { ConnectionState } from '../../api/transport';

export interface ConnectionSliceState {
  state: ConnectionState;
}

const initialState: ConnectionSliceState = { state: 'connecting' };

export const connectionSlice = createSlice({
  name: 'connection',
  initialState,
  reducers: {
    connectionChanged(state, action: PayloadAction<ConnectionState>) {
      state.state = action.payload;
    },
  },
  selectors: {
    selectConnection: (state) => state.state,
  },
});

export const { connectionChanged } = connectionSlice.actions;
export const { selectConnection } = connectionSlice.selectors;

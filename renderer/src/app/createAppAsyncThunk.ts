import { createAsyncThunk } from '@reduxjs/toolkit';
import type { UiError } from '../lib/errors';
import type { ThunkExtra } from './api';
import type { AppDispatch, RootState } from './store';

export const createAppAsyncThunk = createAsyncThunk.withTypes<{
  state: RootState;
  dispatch: AppDispatch;
  extra: ThunkExtra;
  rejectValue: UiError;
}>();

/**
 * One-off requests from a dialog (a refund, a cash movement, a report): the same client, through
 * a thunk so that tests can stand a fake in for it, answering a plain result instead of throwing.
 * The sale and the shift still change only through the server's answers and events.
 */
import { useCallback } from 'react';
import type { Channel, RequestInput, Response } from '../contract';
import { toUiError, type UiError } from '../lib/errors';
import { createAppAsyncThunk } from './createAppAsyncThunk';
import { useAppDispatch } from './hooks';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: UiError };

export const invokeChannel = createAppAsyncThunk(
  'api/invoke',
  async (arg: { channel: Channel; payload: unknown }, { extra, rejectWithValue }) => {
    try {
      return (await extra.api.invoke(arg.channel, arg.payload as never)) as unknown;
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export type Call = <C extends Channel>(
  channel: C,
  payload: RequestInput<C>,
) => Promise<Outcome<Response<C>>>;

export function useCall(): Call {
  const dispatch = useAppDispatch();
  return useCallback(
    async (channel, payload) => {
      const result = await dispatch(invokeChannel({ channel, payload }));
      if (invokeChannel.fulfilled.match(result))
        return { ok: true, value: result.payload as Response<typeof channel> };
      return { ok: false, error: result.payload ?? { kind: 'unknown' } };
    },
    [dispatch],
  );
}

/** The error is about the manager's PIN (missing, wrong, locked out). */
export function isPinError(error: UiError | null): boolean {
  return (
    error !== null &&
    error.kind === 'pos' &&
    (error.code === 'PIN_REQUIRED' || error.code === 'PIN_WRONG' || error.code === 'PIN_LOCKED')
  );
}

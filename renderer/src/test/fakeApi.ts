/** A scripted stand-in for the client, recording every call. */
import type { Channel, RequestInput, Response } from '../contract';
import type { Api } from '../app/api';

type Handler = (payload: unknown) => unknown;

export function fakeApi(handlers: Partial<Record<Channel, Handler>>, connected = true) {
  const calls: { channel: Channel; payload: unknown }[] = [];
  const api: Api = {
    async invoke<C extends Channel>(channel: C, payload: RequestInput<C>): Promise<Response<C>> {
      calls.push({ channel, payload });
      const handler = handlers[channel];
      if (handler === undefined) throw new Error(`unexpected call: ${channel}`);
      return (await handler(payload)) as Response<C>;
    },
    whenConnected: async () => connected,
  };
  return { api, calls };
}

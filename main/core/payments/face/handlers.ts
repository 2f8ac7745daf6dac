/** The contract's face-pay channels, served by the FacePayService. */
import { IDLE_FACEPAY_STATE, type Channel } from '../../../contract';
import { operatorId } from '../../call';
import type { Handlers } from '../../handlers';
import type { FacePayService } from './service';

export type FacePayChannel = Extract<Channel, `facepay.${string}`>;

export function facePayHandlers(
  service: FacePayService | undefined,
): Pick<Handlers, FacePayChannel> {
  if (service === undefined) {
    const idle = () => ({ ...IDLE_FACEPAY_STATE });
    return {
      'facepay.status': () => ({
        availability: { available: false, reason: 'NO_CLOUD' },
        state: idle(),
      }),
      'facepay.start': idle,
      'facepay.cancel': idle,
      'facepay.confirm': idle,
      'facepay.phoneTail': idle,
      'facepay.joinMembership': idle,
    };
  }
  return {
    'facepay.status': () => service.status(),
    'facepay.start': ({ saleId }, call) => service.start(saleId, operatorId(call)),
    'facepay.cancel': ({ saleId }) => service.cancel(saleId),
    'facepay.confirm': ({ saleId }) => service.confirm(saleId),
    'facepay.phoneTail': ({ saleId, digits }) => service.phoneTail(saleId, digits),
    'facepay.joinMembership': ({ saleId, consent }) => service.joinMembership(saleId, consent),
  };
}

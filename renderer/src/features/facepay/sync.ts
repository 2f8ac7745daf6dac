/**
 * Keeps face pay's slice in step with main (events, and the status after every (re)connection),
 * and on the browser host's customer display runs the capture link that lends main the camera.
 */
import { findBridge } from '../../api/bridgeTransport';
import type { PosClient } from '../../api/client';
import type { Screen } from '../../app/screen';
import type { AppStore } from '../../app/store';
import { keyProtocols, takeHostKey } from '../../api/hostKey';
import { cameraSupported, captureUrlFor, startCaptureLink } from './capture';
import {
  facePayAvailabilityChanged,
  facePayPreviewReceived,
  facePayStateChanged,
  loadFacePayStatus,
} from './facePaySlice';

type SyncClient = Pick<PosClient, 'subscribe' | 'onConnectionChange' | 'connection'>;

export function syncFacePay(
  store: AppStore,
  client: SyncClient,
  screen: Screen,
  win: Window,
): () => void {
  if (screen === 'manager') return () => undefined;
  const { dispatch } = store;
  const offs = [
    client.subscribe('facepay.state', (state) => dispatch(facePayStateChanged(state))),
    client.subscribe('facepay.availability', (a) => dispatch(facePayAvailabilityChanged(a))),
    client.onConnectionChange((state) => {
      if (state === 'connected') void dispatch(loadFacePayStatus());
    }),
  ];
  if (screen === 'customer') {
    // Electron: previews come as events. Browser host: over the capture socket, below.
    offs.push(client.subscribe('facepay.preview', (p) => dispatch(facePayPreviewReceived(p))));
    if (findBridge(win) === null && cameraSupported(win)) {
      offs.push(
        startCaptureLink(captureUrlFor(win.location), keyProtocols(takeHostKey(win)), (p) =>
          dispatch(facePayPreviewReceived(p)),
        ),
      );
    }
  }
  if (client.connection === 'connected') void dispatch(loadFacePayStatus());
  return () => {
    for (const off of offs) off();
  };
}

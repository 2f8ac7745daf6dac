/**
 * Face pay's availability: not offered without a cloud link, a camera, a face engine, or while
 * the cloud does not answer; closing waits for an engine still loading.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../logger';
import type { FaceBackend } from './ports';
import { FacePayService } from './service';
import { FAST, FakeBackend, LINK, tick, until } from './test-support/fakes';
import {
  assertStillOpen,
  camera,
  cloud,
  events,
  make,
  replaceService,
  sale,
  service,
  t,
  useFacePayHarness,
} from './test-support/harness';

describe('face pay availability', () => {
  useFacePayHarness();

  it('closing waits for a face engine still loading, and closes it once it is up', async () => {
    // The process exits after close(): with the face worker still inside ONNX Runtime's
    // start-up it would abort (seen on these machines), so close() waits for the start.
    await service.close();
    let finishStart!: () => void;
    let closedEngine = false;
    const slow = new FakeBackend();
    slow.close = async () => void (closedEngine = true);
    replaceService(
      new FacePayService({
        ledger: t.ledger,
        logger: silentLogger,
        emit: () => undefined,
        onSalePaid: () => undefined,
        face: () => new Promise<FaceBackend>((resolve) => (finishStart = () => resolve(slow))),
        timing: FAST,
        probe: async () => true,
      }),
    );
    service.attachCamera(camera);
    service.attachCloud(LINK(cloud));
    await until(() => finishStart !== undefined, 'the engine to be starting');
    let closed = false;
    const closing = service.close().then(() => (closed = true));
    await tick(30);
    assert.equal(closed, false, 'close() returned while the engine was still starting');
    finishStart();
    await closing;
    assert.equal(closedEngine, true, 'the engine that came up after close() was closed');
  });

  it('is not offered without a cloud link, a camera, or while the cloud does not answer', async () => {
    assert.deepEqual(service.availability(), { available: false, reason: 'NO_CLOUD' });
    service.attachCloud(LINK(cloud));
    assert.equal(service.availability().reason, 'NO_CAMERA');
    service.attachCamera(camera);
    await until(() => service.availability().available, 'available');
    camera.setConnected(false);
    assert.equal(service.availability().reason, 'NO_CAMERA');
    camera.setConnected(true);
    assert.equal(service.availability().available, true);

    // Offline: the probe fails, and a start is refused as UNAVAILABLE with the sale open.
    await service.close();
    make({}, async () => false);
    service.attachCamera(camera);
    service.attachCloud(LINK(cloud));
    await until(() => service.availability().reason === 'OFFLINE', 'offline');
    const started = service.start(sale.id, t.op);
    assert.equal(started.phase, 'failed');
    assert.equal(started.failure?.code, 'UNAVAILABLE');
    assert.equal(camera.opened, 0);
    assertStillOpen();
    const announced = events.filter((e) => e.name === 'facepay.availability').at(-1);
    assert.deepEqual(announced?.payload, { available: false, reason: 'OFFLINE' });
  });
});

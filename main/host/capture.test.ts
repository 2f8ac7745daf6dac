/**
 * The camera path's pieces without the face engine: the capture page's wire format (built by
 * the contract's encoder, as the browser and the tests build it) is exactly what main/face's
 * PushFrameSource reads, and the capture hub takes frames only from the customer display's
 * socket while a session asks for them, telling the page to start and stop.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type { WebSocket } from 'ws';
import { CAPTURE_MAX_FRAME_BYTES, encodeCaptureFrame } from '../contract';
import { silentLogger } from '../core';
import { PushFrameSource } from '../face';
import { CaptureHub } from './capture';

/** Enough of a ws WebSocket for the hub: send, close, events. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  sent: string[] = [];
  closedWith: number | null = null;
  send(data: string): void {
    this.sent.push(data);
  }
  close(code: number): void {
    this.closedWith = code;
    this.readyState = 3;
    this.emit('close');
  }
  terminate(): void {
    this.close(1006);
  }
  text(message: unknown): void {
    this.emit('message', Buffer.from(JSON.stringify(message)), false);
  }
  binary(bytes: Uint8Array): void {
    this.emit('message', Buffer.from(bytes), true);
  }
  controls(): string[] {
    return this.sent.map((s) => (JSON.parse(s) as { type: string }).type);
  }
}

function rgbaFrame(width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 7) % 256;
  return rgba;
}

describe('capture wire format', () => {
  it('the contract encoder writes what PushFrameSource decodes', async () => {
    const rgba = rgbaFrame(5, 3);
    const source = new PushFrameSource();
    source.pushWire(encodeCaptureFrame(rgba, 5, 3, 1234.5));
    const frame = await source.next();
    assert.ok(frame);
    assert.deepEqual([frame.width, frame.height, frame.timestampMs], [5, 3, 1234.5]);
    const expected = new Uint8Array(5 * 3 * 3);
    for (let p = 0; p < 15; p++) {
      expected.set(rgba.subarray(p * 4, p * 4 + 3), p * 3);
    }
    assert.deepEqual(frame.data, expected);
    assert.throws(() => encodeCaptureFrame(rgba, 4, 4, 0), RangeError);
    assert.equal(CAPTURE_MAX_FRAME_BYTES, 24 + 640 * 480 * 4);
  });
});

describe('capture hub', () => {
  function setup() {
    const hub = new CaptureHub(silentLogger);
    const changes: boolean[] = [];
    hub.onChange(() => changes.push(hub.connected));
    const display = new FakeSocket();
    hub.attach(display as unknown as WebSocket, 'local');
    return { hub, display, changes };
  }

  it('counts a page as the camera only once it says hello as the customer display', () => {
    const { hub, display, changes } = setup();
    assert.equal(hub.connected, false);
    display.text({ type: 'hello', role: 'customer-display' });
    assert.equal(hub.connected, true);
    display.close(1000);
    assert.equal(hub.connected, false);
    assert.deepEqual(changes, [true, false]);
  });

  it('asks for frames, takes them during the session only, and says stop', async () => {
    const { hub, display } = setup();
    display.text({ type: 'hello', role: 'customer-display' });
    const stranger = new FakeSocket();
    hub.attach(stranger as unknown as WebSocket, 'local');
    const frame = encodeCaptureFrame(rgbaFrame(4, 4), 4, 4, 1);

    display.binary(frame); // before any session
    assert.equal(hub.stats.dropped, 1);
    assert.deepEqual(display.controls(), ['stop']);

    const source = hub.open();
    assert.deepEqual(display.controls(), ['stop', 'start']);
    assert.deepEqual(stranger.controls(), []);
    stranger.binary(frame);
    assert.equal(hub.stats.dropped, 2);
    display.binary(frame);
    assert.equal(hub.stats.frames, 1);
    const got = await source.next();
    assert.equal(got?.width, 4);

    hub.stop();
    assert.deepEqual(display.controls(), ['stop', 'start', 'stop']);
    assert.equal(await source.next(), null, 'the session sees the camera end');
    display.binary(frame);
    assert.equal(hub.stats.frames, 1);
  });

  it('ends the session when the page reports a camera error or goes away', async () => {
    const { hub, display } = setup();
    display.text({ type: 'hello', role: 'customer-display' });
    const first = hub.open();
    display.text({ type: 'error', name: 'NotAllowedError' });
    assert.equal(await first.next(), null);
    const second = hub.open();
    display.close(1001);
    assert.equal(await second.next(), null);
    const none = hub.open(); // no display at all: the source ends at once
    assert.equal(await none.next(), null);
  });

  it('closes a socket that sends garbage as control messages, and stops on bad frames', async () => {
    const { hub, display } = setup();
    display.emit('message', Buffer.from('not json'), false);
    assert.equal(display.closedWith, 1008);

    const page = new FakeSocket();
    hub.attach(page as unknown as WebSocket, 'local');
    page.text({ type: 'hello', role: 'customer-display' });
    const source = hub.open();
    for (let i = 0; i < 11; i++) page.binary(Buffer.from('FPF1 but not a frame at all....'));
    assert.equal(await source.next(), null, 'too many malformed frames end the session');
  });
});

/**
 * A FacePayService on a real ledger (temp file, a shift open, a sale of two items rung up) and
 * the fakes for the rest, fresh for every test: call `useFacePayHarness()` inside a describe.
 * The bindings below are live (ES modules): tests read them as the harness replaces them.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach } from 'node:test';
import type { EventName, EventPayload, FacePayState, Sale } from '../../../../contract';
import { DEMO_PRODUCTS } from '../../../../ledger/demo-catalog';
import { openTestLedger, type TestLedger } from '../../../../ledger/test-support/helpers';
import { silentLogger } from '../../../logger';
import type { FacePayTiming } from '../ports';
import { FacePayService } from '../service';
import { FAST, FakeBackend, FakeCamera, FakeCloud, LINK, MATCH, until } from './fakes';

export let t: TestLedger;
export let camera: FakeCamera;
export let backend: FakeBackend;
export let cloud: FakeCloud;
export let service: FacePayService;
export let events: { name: EventName; payload: unknown }[];
export let paidSales: Sale[];
export let sale: Sale;

/** For a test that builds its own service (the harness closes it after the test). */
export function replaceService(replacement: FacePayService): void {
  service = replacement;
}

export function make(timing: Partial<FacePayTiming> = {}, probe = async () => true) {
  service = new FacePayService({
    ledger: t.ledger,
    logger: silentLogger,
    emit: <E extends EventName>(name: E, payload: EventPayload<E>) =>
      events.push({ name, payload }),
    onSalePaid: (s) => paidSales.push(s),
    face: async () => backend,
    timing: { ...FAST, ...timing },
    probe,
  });
}

export async function ready(): Promise<void> {
  service.attachCamera(camera);
  service.attachCloud(LINK(cloud));
  await until(() => service.availability().available, 'face pay to be available');
}

export const state = (): FacePayState => service.snapshot();
export const phases = () =>
  events.filter((e) => e.name === 'facepay.state').map((e) => (e.payload as FacePayState).phase);

export async function toConfirm(): Promise<void> {
  cloud.identifyAnswers = [MATCH];
  service.start(sale.id, t.op);
  backend.last.ready();
  await until(() => state().phase === 'confirm', 'confirm');
}

export function assertStillOpen(): void {
  const now = t.ledger.getSale(sale.id);
  assert.equal(now.status, 'open');
  assert.equal(now.payments.length, 0);
  assert.equal(now.dueFen, sale.dueFen);
}

/** Registers the per-test set-up and tear-down; call it inside a describe. */
export function useFacePayHarness(): void {
  beforeEach(() => {
    t = openTestLedger();
    t.ledger.openShift(10_000, t.op);
    const product = DEMO_PRODUCTS[5];
    assert.ok(product);
    sale = t.ledger.addItem({ barcode: product.barcode, qty: 2 });
    camera = new FakeCamera();
    backend = new FakeBackend();
    cloud = new FakeCloud();
    events = [];
    paidSales = [];
    make();
  });

  afterEach(async () => {
    await service.close();
    t.cleanup();
  });
}

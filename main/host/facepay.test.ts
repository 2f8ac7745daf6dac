/**
 * Face pay through the browser host, with the real face engine and the real reference cloud:
 * a capture page sends face.y4m's frames over /capture when main asks, the cashier's requests go
 * over /ws, the terminal talks to the cloud through a recording proxy.
 *
 * - the journey: ring up, face pay, confirm; one face payment in the ledger, the wallet debited
 *   once; and privacy over the whole run: no image file written anywhere we can see, no request
 *   body or log line with a plaintext embedding or pixels, previews only to the capture page;
 * - ambiguity: two payers with the same face, the phone tail picks one;
 * - empty.y4m: no face, a clean fallback (the sale stays open and cash completes it);
 * - the camera path refuses frames it did not ask for, and from a page that is not the display;
 * - a replayed or tampered signed request (the terminal's own authorise) is refused by the cloud;
 * - offline (the cloud stops answering): face pay is not offered, cash still works.
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { linkCloud } from '../core/cloud-link';
import { createPosCore, type CoreOptions, type Logger, type PosCore } from '../core';
import { DEMO_PRODUCTS } from '../ledger/demo-catalog';
import { repoRoot } from '../face/models';
import { Y4mFileSource } from '../face';
import { startTestCloud, type TestCloud } from '../../cloud/test-support';
import { startHost, type RunningHost } from './server';
import {
  CapturePage,
  EMPTY_CLIP,
  FACE_CLIP,
  enrolPayer,
  enrolmentEmbeddings,
  startRecordingProxy,
  type RecordingProxy,
} from './test-support/facepay';
import { connectWs, type WsContractClient } from './ws-client';
import { FACES } from '../face/test-faces';
import { demoSignIn } from './test-support/staff';

const until = async (check: () => boolean | Promise<boolean>, what: string, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

interface Rig {
  dataDir: string;
  core: PosCore;
  host: RunningHost;
  proxy: RecordingProxy;
  page: CapturePage;
  ws: WsContractClient;
  /** The customer display's connection (the payer's own steps). */
  display: WsContractClient;
  logs: string[];
  close(): Promise<void>;
}

let storeNo = 0;

async function startRig(
  cloud: TestCloud,
  clip: string,
  root: string,
  options: CoreOptions = {},
): Promise<Rig> {
  const dataDir = join(root, `terminal-${++storeNo}`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const logs: string[] = [];
  const line =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      logs.push(`${level} ${message} ${fields === undefined ? '' : JSON.stringify(fields)}`);
    };
  const logger: Logger = { info: line('info'), warn: line('warn'), error: line('error') };
  const core = createPosCore(
    {
      dataDir,
      shopName: 'Face Shop',
      terminalId: 'T01',
      timezone: 'Asia/Shanghai',
      defaultLocale: 'zh-CN',
    },
    logger,
    options,
  );
  const host = await startHost({
    core,
    port: 0,
    logger,
  });
  const proxy = await startRecordingProxy(cloud.cloud.url);
  const storeId = `shop-${storeNo}`;
  await cloud.admin.createStore({ storeId, name: 'Face Shop' });
  const { code } = await cloud.admin.pairingCode(storeId, 'till');
  const link = await linkCloud({
    secrets: core.secrets,
    baseUrl: proxy.url,
    pairingCode: async () => code,
  });
  core.facePay.attachCloud(link);
  const page = await CapturePage.connect(host.url, clip, { key: host.secrets.display });
  const ws = await connectWs(`ws://127.0.0.1:${host.port}/ws`, {}, { key: host.secrets.staff });
  // The customer display's contract connection: the payer's own steps come from it.
  const display = await connectWs(
    `ws://127.0.0.1:${host.port}/ws`,
    {},
    { key: host.secrets.display },
  );
  await until(
    async () => (await ws.invoke('facepay.status', {})).availability.available,
    'face pay to be offered',
  );
  return {
    dataDir,
    core,
    host,
    proxy,
    page,
    ws,
    display,
    logs,
    async close() {
      await display.close();
      await ws.close();
      await page.close();
      await host.close();
      core.close();
      await proxy.close();
    },
  };
}

/** Signs the cashier in, opens a shift and rings up two products; returns the sale. */
async function ringUp(ws: WsContractClient) {
  await ws.invoke('auth.signIn', await demoSignIn(ws, 'cashier'));
  await ws.invoke('shift.open', { floatFen: 10_000 });
  const [a, b] = [DEMO_PRODUCTS[3], DEMO_PRODUCTS[7]];
  assert.ok(a && b);
  await ws.invoke('sale.addItem', { barcode: a.barcode });
  return ws.invoke('sale.addItem', { barcode: b.barcode });
}

async function phase(ws: WsContractClient, saleId: string, wanted: string, ms = 20_000) {
  await until(
    async () => {
      const { state } = await ws.invoke('facepay.status', {});
      if (state.saleId === saleId && state.phase === 'failed' && wanted !== 'failed') {
        throw new Error(`face pay failed: ${state.failure?.code} ${state.failure?.message}`);
      }
      return state.saleId === saleId && state.phase === wanted;
    },
    `phase ${wanted}`,
    ms,
  );
  return (await ws.invoke('facepay.status', {})).state;
}

/** path -> "size:mtime" of every file under dir (skipping dependency and git folders). */
function snapshot(dir: string, skip = new Set(['node_modules', '.git'])): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (skip.has(entry.name)) continue;
      const path = join(d, entry.name);
      try {
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile()) {
          const s = statSync(path);
          files.set(path, `${s.size}:${s.mtimeMs}`);
        }
      } catch {
        // removed while we looked
      }
    }
  };
  walk(dir);
  return files;
}

const IMAGE_MAGIC: [string, number[]][] = [
  ['JPEG', [0xff, 0xd8, 0xff]],
  ['PNG', [0x89, 0x50, 0x4e, 0x47]],
  ['GIF', [0x47, 0x49, 0x46, 0x38]],
  ['BMP', [0x42, 0x4d]],
  ['Y4M', [...'YUV4MPEG2'].map((c) => c.charCodeAt(0))],
  ['frame wire', [...'FPF1'].map((c) => c.charCodeAt(0))],
  ['PPM', [0x50, 0x36, 0x0a]],
  ['WebP/RIFF', [0x52, 0x49, 0x46, 0x46]],
];

/** No plaintext embedding (a long list of numbers) and no pixels (data URLs, long base64). */
function assertNoFaceData(text: string, where: string, pixelRun: Buffer): void {
  assert.doesNotMatch(text, /(-?\d+(\.\d+)?(e-?\d+)?\s*,\s*){32}/, `${where}: a list of numbers`);
  assert.doesNotMatch(text, /data:image/, `${where}: an image data URL`);
  assert.ok(!text.includes(pixelRun.toString('latin1')), `${where}: raw pixels`);
  assert.ok(!text.includes(pixelRun.toString('base64').slice(0, 32)), `${where}: base64 pixels`);
}

describe('face pay through the browser host and the reference cloud', { skip: FACES.skip }, () => {
  let cloud: TestCloud;
  let templates: number[][];
  let root: string;
  let savedTmp: string | undefined;
  let pixelRun: Buffer;

  before(async () => {
    // The terminal's face worker inherits TMPDIR: whatever it might write lands here, watched.
    root = mkdtempSync(join(tmpdir(), 'facepay-host-'));
    savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = join(root, 'tmp');
    mkdirSync(process.env.TMPDIR);
    cloud = await startTestCloud();
    templates = await enrolmentEmbeddings();
    const reader = new Y4mFileSource(FACE_CLIP, { loop: false });
    const first = await reader.next();
    reader.close();
    assert.ok(first);
    const at = (240 * 640 + 300) * 3;
    pixelRun = Buffer.from(first.data.subarray(at, at + 48));
  });

  after(async () => {
    await cloud.close();
    process.env.TMPDIR = savedTmp;
    rmSync(root, { recursive: true, force: true });
  });

  it('ring up, face pay, confirm: one face payment, one debit, and nothing private leaks', async () => {
    const payerId = await enrolPayer(cloud.admin, {
      name: '张三丰',
      phone: '13800001234',
      balanceFen: 100_000,
      templates,
    });
    const before = new Map([...snapshot(repoRoot), ...snapshot(root)]);
    const rig = await startRig(cloud, FACE_CLIP, root);
    const cloudLogsFrom = cloud.logs.length;
    try {
      const sale = await ringUp(rig.ws);
      const started = await rig.ws.invoke('facepay.start', { saleId: sale.id });
      assert.equal(started.phase, 'capturing');

      const confirm = await phase(rig.ws, sale.id, 'confirm');
      assert.equal(confirm.maskedName, '张*丰');
      assert.equal(confirm.amountFen, sale.totalFen);
      assert.ok(!rig.page.streaming, 'the camera stops once the face is captured');
      assert.ok(rig.page.controls.includes('start') && rig.page.controls.includes('stop'));
      assert.ok(rig.page.previews.length > 0, 'the capture page got previews');
      assert.ok(
        rig.ws.events.every((e) => e.name !== 'facepay.preview'),
        'no preview reaches a contract socket',
      );
      assert.ok(rig.ws.events.some((e) => e.name === 'facepay.state'));

      await rig.display.invoke('facepay.confirm', { saleId: sale.id });
      const paid = await phase(rig.ws, sale.id, 'paid');
      assert.deepEqual(paid.membership, { status: 'offer', points: null, coupons: [] });
      const done = await rig.ws.invoke('sale.get', { saleId: sale.id });
      assert.equal(done.status, 'completed');
      assert.equal(done.receiptNo, paid.receiptNo);
      assert.deepEqual(
        done.payments.map((p) => [p.method, p.amountFen, p.reference]),
        [['face', sale.totalFen, paid.paymentId]],
      );
      assert.ok(rig.ws.events.some((e) => e.name === 'sale.completed'));
      assert.equal((await cloud.admin.payer(payerId)).balanceFen, 100_000 - sale.totalFen);
      const authorisations = rig.proxy.exchanges.filter((e) => e.path === '/v1/payments/authorise');
      assert.equal(authorisations.length, 1);

      await rig.display.invoke('facepay.joinMembership', { saleId: sale.id, consent: true });
      await until(
        async () =>
          (await rig.ws.invoke('facepay.status', {})).state.membership?.status === 'joined',
        'membership',
      );

      // Privacy: request bodies to the cloud hold the sealed box, never the vector or pixels.
      const identify = rig.proxy.exchanges.filter((e) => e.path === '/v1/identify');
      assert.equal(identify.length, 1);
      const body = JSON.parse(identify[0]?.requestBody ?? '{}') as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), ['amountFen', 'liveness', 'sealedEmbedding']);
      for (const exchange of rig.proxy.exchanges) {
        assertNoFaceData(exchange.requestBody, `request ${exchange.path}`, pixelRun);
        assert.ok(exchange.requestBody.length < 8_000, `${exchange.path} body is small`);
      }
      assertNoFaceData(rig.logs.join('\n'), 'terminal log', pixelRun);
      assertNoFaceData(cloud.logs.slice(cloudLogsFrom).join('\n'), 'cloud log', pixelRun);

      // Next time, a returning member: nothing said of membership at confirm (a match reveals
      // none), then greeted once paid with their points (this payment's included) and the coupon
      // the shop gave them (the coupon itself); no offer to join.
      const member = await cloud.cloud.db.query<{ id: string; points: number }>(
        'SELECT id, points FROM members WHERE payer_id = $1',
        [payerId],
      );
      const memberRow = member.rows[0];
      assert.ok(memberRow);
      assert.equal(memberRow.points, Math.floor(sale.totalFen / 100));
      const coupon = await cloud.admin.issueCoupon(memberRow.id, {
        title: '会员日立减',
        discountFen: 500,
        minSpendFen: 3_000,
        expiresAt: '2030-01-31T15:59:59.000Z',
      });
      const [c] = [DEMO_PRODUCTS[9]];
      assert.ok(c);
      const again = await rig.ws.invoke('sale.addItem', { barcode: c.barcode, qty: 2 });
      await rig.ws.invoke('facepay.start', { saleId: again.id });
      const greeted = await phase(rig.ws, again.id, 'confirm');
      const greeting = {
        status: 'member',
        points: memberRow.points + Math.floor(again.totalFen / 100),
        coupons: [
          {
            couponId: coupon.couponId,
            title: '会员日立减',
            discountFen: 500,
            minSpendFen: 3_000,
            expiresAt: '2030-01-31T15:59:59.000Z',
          },
        ],
      };
      assert.equal(greeted.maskedName, '张*丰');
      assert.equal(greeted.membership, null, 'no membership before the payment is authorised');
      await rig.display.invoke('facepay.confirm', { saleId: again.id });
      const paidAgain = await phase(rig.ws, again.id, 'paid');
      assert.deepEqual(paidAgain.membership, greeting, 'greeted, not offered to join');
      assert.equal(
        (await cloud.admin.payer(payerId)).balanceFen,
        100_000 - sale.totalFen - again.totalFen,
      );
    } finally {
      await rig.close();
    }

    // Disk: nothing new or changed in the project, the terminal's data or the temp folder holds
    // image content or frame pixels (other people's files may change in the project meanwhile).
    const changed = [...snapshot(repoRoot), ...snapshot(root)].filter(
      ([path, stamp]) => before.get(path) !== stamp,
    );
    for (const [path] of changed) {
      if (!existsSync(path)) continue;
      const bytes = readFileSync(path);
      for (const [kind, magic] of IMAGE_MAGIC) {
        assert.ok(
          !magic.every((b, i) => bytes[i] === b),
          `${relative(repoRoot, path)} appeared and is ${kind}`,
        );
      }
      assert.ok(!bytes.includes(pixelRun), `${relative(repoRoot, path)} holds frame pixels`);
    }
    assert.deepEqual(
      readdirSync(join(root, 'tmp')).filter((f) => !f.startsWith('tsx-')),
      [],
      'the face worker wrote nothing to the temp folder',
    );
  });

  it('two payers with the same face: the phone tail picks one, and only that one pays', async () => {
    const alice = await enrolPayer(cloud.admin, {
      name: '李小红',
      phone: '13900005678',
      balanceFen: 50_000,
      templates,
    });
    const bob = await enrolPayer(cloud.admin, {
      name: '王大明',
      phone: '13700004321',
      balanceFen: 50_000,
      templates,
    });
    const rig = await startRig(cloud, FACE_CLIP, root);
    try {
      const sale = await ringUp(rig.ws);
      await rig.ws.invoke('facepay.start', { saleId: sale.id });
      const asked = await phase(rig.ws, sale.id, 'phoneTail');
      assert.equal(asked.phoneTailTriesLeft, 2);
      await rig.display.invoke('facepay.phoneTail', { saleId: sale.id, digits: '5678' });
      const confirm = await phase(rig.ws, sale.id, 'confirm');
      assert.equal(confirm.maskedName, '李*红');
      await rig.display.invoke('facepay.confirm', { saleId: sale.id });
      await phase(rig.ws, sale.id, 'paid');
      assert.equal((await cloud.admin.payer(alice)).balanceFen, 50_000 - sale.totalFen);
      assert.equal((await cloud.admin.payer(bob)).balanceFen, 50_000);
    } finally {
      await rig.close();
    }
  });

  it('empty.y4m: no face, a clean fallback; the sale stays open and cash completes it', async () => {
    const rig = await startRig(cloud, EMPTY_CLIP, root);
    try {
      const sale = await rig.ws.invoke('sale.current', {}).then(() => ringUp(rig.ws));
      await rig.ws.invoke('facepay.start', { saleId: sale.id });
      const failed = await phase(rig.ws, sale.id, 'failed', 15_000);
      assert.equal(failed.failure?.code, 'NO_FACE');
      assert.ok(!rig.page.streaming, 'the camera was stopped');
      assert.ok(!rig.proxy.exchanges.some((e) => e.path === '/v1/identify'));
      const open = await rig.ws.invoke('sale.get', { saleId: sale.id });
      assert.equal(open.status, 'open');
      assert.equal(open.payments.length, 0);
      const paid = await rig.ws.invoke('sale.pay', {
        saleId: sale.id,
        method: 'cash',
        amountFen: open.dueFen,
        tenderedFen: open.dueFen,
      });
      assert.equal(paid.status, 'completed');
    } finally {
      await rig.close();
    }
  });

  it('frames are taken only from the display page, and only when asked for', async () => {
    const rig = await startRig(cloud, FACE_CLIP, root);
    try {
      const frame = Buffer.alloc(24 + 4 * 4 * 4);
      frame.write('FPF1', 0, 'ascii');
      frame.writeUInt16LE(4, 4);
      frame.writeUInt16LE(4, 6);
      frame.writeUInt8(1, 8);
      const stats = rig.host.capture.stats;
      const dropped = stats.dropped;
      rig.page.sendRaw(frame); // no session: dropped unread
      const stranger = await CapturePage.connect(rig.host.url, FACE_CLIP, {
        hello: false,
        key: rig.host.secrets.display,
      });
      stranger.sendRaw(frame);
      await until(() => stats.dropped === dropped + 2, 'both frames dropped');
      assert.equal(stats.frames, 0);

      // The contract socket never takes binary frames.
      const reply = await rig.ws.raw(frame);
      assert.equal((reply.error as { code: string }).code, 'VALIDATION');

      // During a session, a stranger's frames are still dropped; the display's are taken.
      const sale = await ringUp(rig.ws);
      await rig.ws.invoke('facepay.start', { saleId: sale.id });
      stranger.sendRaw(frame);
      // (The earlier tests' payers share this face: the phone question may come instead.)
      await until(async () => {
        const { state } = await rig.ws.invoke('facepay.status', {});
        return state.phase === 'confirm' || state.phase === 'phoneTail';
      }, 'identified');
      assert.ok(stats.frames > 0);
      assert.equal(stranger.controls.includes('start'), false);
      await rig.ws.invoke('facepay.cancel', { saleId: sale.id });
      await stranger.close();
    } finally {
      await rig.close();
    }
  });

  it('a replayed or tampered signed authorise is refused by the cloud', async () => {
    await enrolPayer(cloud.admin, {
      name: '赵六',
      phone: '13600009999',
      balanceFen: 50_000,
      templates,
    });
    const rig = await startRig(cloud, FACE_CLIP, root);
    try {
      const sale = await ringUp(rig.ws);
      await rig.ws.invoke('facepay.start', { saleId: sale.id });
      // The earlier payers share this face: answer the phone question if it comes.
      await until(async () => {
        const { state } = await rig.ws.invoke('facepay.status', {});
        return state.phase === 'confirm' || state.phase === 'phoneTail';
      }, 'identified');
      if ((await rig.ws.invoke('facepay.status', {})).state.phase === 'phoneTail') {
        await rig.display.invoke('facepay.phoneTail', { saleId: sale.id, digits: '9999' });
      }
      await phase(rig.ws, sale.id, 'confirm');
      await rig.display.invoke('facepay.confirm', { saleId: sale.id });
      await phase(rig.ws, sale.id, 'paid');
      const original = rig.proxy.exchanges.find((e) => e.path === '/v1/payments/authorise');
      assert.ok(original);
      assert.equal(original.status, 200);

      const send = async (headers: Record<string, string>, body: string) => {
        const response = await fetch(`${cloud.cloud.url}/v1/payments/authorise`, {
          method: 'POST',
          headers,
          body,
        });
        const json = (await response.json()) as { error?: { code: string } };
        return [response.status, json.error?.code];
      };
      const headers = Object.fromEntries(
        Object.entries(original.requestHeaders).filter(([k]) =>
          [
            'content-type',
            'x-pos-terminal',
            'x-pos-timestamp',
            'x-pos-nonce',
            'x-pos-signature',
          ].includes(k),
        ),
      );
      assert.deepEqual(await send(headers, original.requestBody), [401, 'REPLAYED']);
      const tampered = original.requestBody.replace(/"amountFen":(\d+)/, '"amountFen":1');
      assert.notEqual(tampered, original.requestBody);
      assert.deepEqual(await send(headers, tampered), [401, 'SIGNATURE_INVALID']);
      const resigned = { ...headers, 'x-pos-nonce': 'another-nonce-0000000000' };
      assert.deepEqual(await send(resigned, original.requestBody), [401, 'SIGNATURE_INVALID']);
      const done = await rig.ws.invoke('sale.get', { saleId: sale.id });
      assert.equal(done.payments.length, 1);
    } finally {
      await rig.close();
    }
  });

  it('offline: face pay is not offered, and the other tenders work', async () => {
    const rig = await startRig(cloud, FACE_CLIP, root, {
      facePay: { timing: { probeEveryMs: 100 } },
    });
    try {
      rig.proxy.intercept = () => 'drop'; // the cloud no longer answers
      await until(async () => {
        const { availability } = await rig.ws.invoke('facepay.status', {});
        return availability.reason === 'OFFLINE';
      }, 'face pay to go offline');
      assert.ok(
        rig.ws.events.some(
          (e) =>
            e.name === 'facepay.availability' &&
            (e.payload as { reason: string | null }).reason === 'OFFLINE',
        ),
        'the screens were told',
      );
      const sale = await ringUp(rig.ws);
      const refused = await rig.ws.invoke('facepay.start', { saleId: sale.id });
      assert.equal(refused.phase, 'failed');
      assert.equal(refused.failure?.code, 'UNAVAILABLE');
      assert.equal(rig.page.controls.includes('start'), false, 'the camera was never asked');
      const paid = await rig.ws.invoke('sale.pay', {
        saleId: sale.id,
        method: 'qr',
        amountFen: sale.dueFen,
        reference: 'qr-123',
      });
      assert.equal(paid.status, 'completed');

      rig.proxy.intercept = null; // back online: offered again
      await until(
        async () => (await rig.ws.invoke('facepay.status', {})).availability.available,
        'face pay to be offered again',
      );
    } finally {
      await rig.close();
    }
  });
});

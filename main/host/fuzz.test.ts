/**
 * 10,000 fuzzed messages through the host's WebSocket, from a signed-in staff screen (the
 * widest door): garbage text, broken JSON, wrong frame shapes, every channel with random
 * payloads (wrong types, negative and huge amounts, deep nesting, long strings), binary frames,
 * messages over the size limit. Every message gets one well-formed answer, no answer is an
 * INTERNAL error, the ledger's audit chain still verifies, the host still serves a real request
 * afterwards, and memory stays flat
 * (RSS and heap printed: the figure for the closing note; bounded loosely, so a leak of the
 * traffic's size fails). No timing is asserted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { MAX_MESSAGE_BYTES, channels, wsKeyProtocols } from '../contract';
import { createPosCore } from '../core';
import { startHost } from './server';
import { demoSignIn } from './test-support/staff';
import { connectWs } from './ws-client';

const MESSAGES = 10_000;
const ROUNDS = 4;
const MiB = 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'host-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A deterministic generator, so a failure replays. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHANNELS = Object.keys(channels);

function fuzzValue(random: () => number, depth = 0): unknown {
  const pick = Math.floor(random() * 12);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return Math.floor(random() * 2 ** 31) * (random() < 0.5 ? -1 : 1);
    case 2:
      return [Number.MAX_SAFE_INTEGER, 1e308, -0, 0.1, 2 ** 53 + 2][Math.floor(random() * 5)];
    case 3:
      return 'x'.repeat(Math.floor(random() * 300));
    case 4:
      return ['', '1234', '888888', '6901234567892', '<script>', "'; DROP TABLE sales;--"][
        Math.floor(random() * 6)
      ];
    case 5:
      return random() < 0.5;
    case 6:
    case 7: {
      if (depth > 3) return {};
      const keys = ['saleId', 'sku', 'barcode', 'qty', 'amountFen', 'method', 'pin', 'staffId'];
      const value: Record<string, unknown> = {};
      for (const key of keys) if (random() < 0.4) value[key] = fuzzValue(random, depth + 1);
      return value;
    }
    case 8:
      return depth > 3 ? [] : [fuzzValue(random, depth + 1), fuzzValue(random, depth + 1)];
    case 9: {
      // Deep nesting, as a hostile client would send to exhaust a recursive validator.
      let nested: unknown = 1;
      for (let i = 0; i < 200; i++) nested = { a: nested };
      return nested;
    }
    default:
      return { method: ['cash', 'card', 'qr', 'face', 'bitcoin'][Math.floor(random() * 5)] };
  }
}

/** One fuzzed message: text or binary, and whether it should get a reply. */
function fuzzMessage(random: () => number, id: number): { data: string | Buffer; binary: boolean } {
  const kind = Math.floor(random() * 10);
  if (kind === 0) return { data: Buffer.from([0, 1, 2, 255]), binary: true };
  if (kind === 1) return { data: '{"id":1,"channel":', binary: false };
  if (kind === 2) return { data: 'x'.repeat(MAX_MESSAGE_BYTES + 1), binary: false };
  if (kind === 3) return { data: JSON.stringify([1, 2, 3]), binary: false };
  if (kind === 4)
    return { data: JSON.stringify({ id: -1, channel: 7, payload: null }), binary: false };
  const channel =
    random() < 0.9
      ? (CHANNELS[Math.floor(random() * CHANNELS.length)] as string)
      : 'no.such'.repeat(Math.floor(random() * 20));
  return {
    data: JSON.stringify({ id, channel, payload: fuzzValue(random) }),
    binary: false,
  };
}

function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

test(`${MESSAGES} fuzzed messages through the host: one answer each, nothing internal, memory flat`, async (t) => {
  const core = createPosCore({
    dataDir: join(dir, 'terminal'),
    shopName: 'Fuzz Shop',
    terminalId: 'T01',
    timezone: 'Asia/Shanghai',
    defaultLocale: 'zh-CN',
  });
  const rendererDir = mkdtempSync(join(dir, 'renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>fuzz</title>');
  const host = await startHost({ core, port: 0, rendererDir });
  const url = `ws://127.0.0.1:${host.port}/ws`;
  const till = await connectWs(url, {}, { key: host.secrets.staff });
  await till.invoke('auth.signIn', await demoSignIn(till, 'cashier'));
  await till.invoke('shift.open', { floatFen: 0 });

  // A raw socket: the fuzz goes around the typed client, as a hostile program would.
  const raw = new WebSocket(url, wsKeyProtocols(host.secrets.staff), {
    headers: { origin: host.url },
  });
  await new Promise<void>((resolve, reject) => {
    raw.once('open', () => resolve());
    raw.once('error', reject);
  });
  const replies: Record<string, unknown>[] = [];
  let waiting: (() => void) | null = null;
  raw.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Record<string, unknown>;
    if (frame.kind !== 'response') return; // events the screens hear (the cart, sync)
    replies.push(frame);
    waiting?.();
  });
  const answered = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (replies.length >= count) {
          waiting = null;
          resolve();
        }
      };
      waiting = check;
      check();
    });

  const gc = collector();
  const random = rng(20261206);
  const memory: string[] = [];
  const sample = () => {
    gc();
    const { rss, heapUsed } = process.memoryUsage();
    memory.push(`${(rss / MiB).toFixed(0)}/${(heapUsed / MiB).toFixed(0)}`);
    return heapUsed;
  };
  let sent = 0;
  let heapAfterFirstRound = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < MESSAGES / ROUNDS; i++) {
      const message = fuzzMessage(random, sent + 1);
      raw.send(message.data, { binary: message.binary });
      sent += 1;
      // Keep a bounded number in flight, as a real screen does.
      if (sent % 50 === 0) await answered(sent);
    }
    await answered(sent);
    const heap = sample();
    if (round === 0) heapAfterFirstRound = heap;
  }
  raw.close();
  t.diagnostic(`RSS/heap MiB after each ${MESSAGES / ROUNDS} messages: ${memory.join(' → ')}`);

  assert.equal(replies.length, MESSAGES, 'one answer per message');
  const codes = new Map<string, number>();
  for (const reply of replies) {
    const code =
      reply.ok === true ? 'ok' : String((reply.error as { code?: unknown } | undefined)?.code);
    codes.set(code, (codes.get(code) ?? 0) + 1);
  }
  t.diagnostic(`answers: ${[...codes].map(([c, n]) => `${c} ${n}`).join(', ')}`);
  assert.equal(codes.get('INTERNAL'), undefined, 'no message reached an internal error');
  // Memory: the last rounds hold no more than the first round plus slack (a leak of the
  // traffic's size, ~several MiB a round, would exceed it).
  assert.ok(
    process.memoryUsage().heapUsed - heapAfterFirstRound < 32 * MiB,
    `heap grew ${memory.join(' → ')}`,
  );

  // Still serving, and the ledger's chain intact.
  const current = await till.invoke('shift.current', {});
  assert.ok(current !== null);
  const verify = core.ledger.verifyAudit();
  assert.equal(verify.ok, true, 'the audit chain verifies after the fuzz');
  await till.close();
  await host.close();
  core.close();
});

/**
 * Identifiers created at write time: UUIDv7 (RFC 9562), 48 bits of milliseconds, then a 12-bit
 * counter, then random bits. Ids made by one process strictly increase, so:
 * - ordering by id is ordering by creation (e.g. a sale's payments in the order taken), even
 *   with a frozen test clock;
 * - B-tree inserts land on the right edge of each index: one dirty page per index per commit
 *   rather than a random page, which matters because every page written goes to the WAL and is
 *   fsynced.
 */
import { randomFillSync } from 'node:crypto';

const pool = new Uint8Array(4096);
let poolPos = pool.length;

function randomBytes(n: number): Uint8Array {
  if (poolPos + n > pool.length) {
    randomFillSync(pool);
    poolPos = 0;
  }
  const out = pool.subarray(poolPos, poolPos + n);
  poolPos += n;
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

let lastMs = -1;
let counter = 0;

export function uuidv7(atMs: number): string {
  let ms = Math.max(0, Math.floor(atMs));
  if (ms <= lastMs) {
    ms = lastMs;
    counter += 1;
    if (counter > 0xfff) {
      ms += 1;
      counter = 0;
    }
  } else {
    // Start low in the counter space so that many ids fit in one millisecond.
    counter = (randomBytes(1)[0] ?? 0) & 0x3ff;
  }
  lastMs = ms;
  const b = new Uint8Array(16);
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = 0x70 | (counter >> 8); // version 7, counter high bits
  b[7] = counter & 0xff;
  b.set(randomBytes(8), 8);
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80; // RFC variant
  let s = '';
  for (let i = 0; i < 16; i++) {
    s += HEX[b[i] ?? 0];
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
  }
  return s;
}

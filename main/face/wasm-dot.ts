/**
 * The inner loop of 1:N search as a 150-byte WebAssembly SIMD function: int8 templates times an
 * int16 probe, 16 dimensions per step. Plain JavaScript cannot use SIMD, and 100,000 float
 * templates (205 MB) cannot be streamed from memory in 10 ms; int8 codes (51 MB) with SIMD take
 * about 3 ms. The function is assembled here from its opcodes so the build needs no toolchain:
 *
 *   scores(codes, scales, probe, rows, dim, out):
 *     for r in 0..rows:
 *       acc = i32x4(0)
 *       for k in 0..dim step 16:
 *         c = v128.load(codes + r*dim + k)                       ; 16 x int8
 *         acc += i32x4.dot_i16x8_s(extend_low(c),  v128.load(probe + 2k))
 *         acc += i32x4.dot_i16x8_s(extend_high(c), v128.load(probe + 2k + 16))
 *       out[r] = f32(sum of acc's lanes) * scales[r]
 *
 * No overflow: |code| <= 127 and |probe| <= 32767, so each lane adds at most dim/4 * 2 products
 * of 4.2e6; for dim 512 that is 5.3e8 < 2^31.
 */

const I32 = 0x7f;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => [...uleb(s.length), ...new TextEncoder().encode(s)];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

// Instructions used (opcode numbers from the WebAssembly core and SIMD specifications).
const get = (i: number): number[] => [0x20, ...uleb(i)];
const set = (i: number): number[] => [0x21, ...uleb(i)];
const tee = (i: number): number[] => [0x22, ...uleb(i)];
const i32 = (v: number): number[] => [0x41, ...sleb(v)];
const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
const ADD = 0x6a;
const SHL = 0x74;
const LT_U = 0x49;
const GE_U = 0x4f;
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const F32_LOAD = [0x2a, 2, 0];
const F32_STORE = [0x38, 2, 0];
const F32_CONVERT_I32_S = 0xb2;
const F32_MUL = 0x94;
const V128_LOAD = (offset: number): number[] => simd(0x00, 0, ...uleb(offset));
const V128_ZERO = simd(0x0c, ...new Array<number>(16).fill(0));
const I32X4_EXTRACT = (lane: number): number[] => simd(0x1b, lane);
const I16X8_EXTEND_LOW_I8X16_S = simd(0x87);
const I16X8_EXTEND_HIGH_I8X16_S = simd(0x88);
const I32X4_ADD = simd(0xae);
const I32X4_DOT_I16X8_S = simd(0xba);

// Parameters 0-5: codes, scales, probe, rows, dim, out. Locals: 6 r, 7 k, 8 acc, 9 c.
const [CODES, SCALES, PROBE, ROWS, DIM, OUT, R, K, ACC, C] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const probeAt = (offset: number): number[] => [
  ...get(PROBE),
  ...get(K),
  ...i32(1),
  SHL,
  ADD,
  ...V128_LOAD(offset),
];

const body = [
  ...vec([
    [2, I32],
    [2, V128],
  ]),
  ...i32(0),
  ...set(R),
  ...BLOCK,
  ...LOOP,
  ...get(R),
  ...get(ROWS),
  GE_U,
  BR_IF,
  1,
  ...V128_ZERO,
  ...set(ACC),
  ...i32(0),
  ...set(K),
  ...LOOP,
  ...get(CODES),
  ...get(K),
  ADD,
  ...V128_LOAD(0),
  ...set(C),
  ...get(ACC),
  ...get(C),
  ...I16X8_EXTEND_LOW_I8X16_S,
  ...probeAt(0),
  ...I32X4_DOT_I16X8_S,
  ...I32X4_ADD,
  ...get(C),
  ...I16X8_EXTEND_HIGH_I8X16_S,
  ...probeAt(16),
  ...I32X4_DOT_I16X8_S,
  ...I32X4_ADD,
  ...set(ACC),
  ...get(K),
  ...i32(16),
  ADD,
  ...tee(K),
  ...get(DIM),
  LT_U,
  BR_IF,
  0,
  END,
  // out[r] = f32(lane0 + lane1 + lane2 + lane3) * scales[r]
  ...get(OUT),
  ...get(R),
  ...i32(2),
  SHL,
  ADD,
  ...get(ACC),
  ...I32X4_EXTRACT(0),
  ...get(ACC),
  ...I32X4_EXTRACT(1),
  ADD,
  ...get(ACC),
  ...I32X4_EXTRACT(2),
  ADD,
  ...get(ACC),
  ...I32X4_EXTRACT(3),
  ADD,
  F32_CONVERT_I32_S,
  ...get(SCALES),
  ...get(R),
  ...i32(2),
  SHL,
  ADD,
  ...F32_LOAD,
  F32_MUL,
  ...F32_STORE,
  ...get(CODES),
  ...get(DIM),
  ADD,
  ...set(CODES),
  ...get(R),
  ...i32(1),
  ADD,
  ...set(R),
  BR,
  0,
  END,
  END,
  END,
];

const MODULE_BYTES = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
  ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), 0]])),
  ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 1]])),
  ...section(3, vec([[0]])),
  ...section(7, vec([[...name('scores'), 0x00, 0]])),
  ...section(10, vec([[...uleb(body.length), ...body]])),
]);

/**
 * The prefilter of very large galleries (see gallery.ts): Hamming distances between the probe's
 * sign bits and every template's, and their histogram, in one pass. Generated for one number of
 * 64-bit words per row (8 for 512 dimensions) so the row loop is unrolled and the probe's words
 * stay in locals: per row, `words` loads, xors and i64.popcnts, and no inner loop.
 *
 *   hamming(bits, probe, rows, out, histogram):
 *     p0..p{words-1} = i64.load(probe + 8w)
 *     for r in 0..rows:
 *       d = i32(sum over w of popcnt(i64.load(bits + 8w) ^ pw)); bits += 8 * words
 *       out[r] = d; histogram[d] += 1
 */
const I64 = 0x7e;
const I64_LOAD = (offset: number): number[] => [0x29, 3, ...uleb(offset)];
const I64_XOR = 0x85;
const I64_POPCNT = 0x7b;
const I64_ADD = 0x7c;
const I32_WRAP_I64 = 0xa7;
const I32_LOAD = [0x28, 2, 0];
const I32_STORE = [0x36, 2, 0];

function hammingBody(words: number): number[] {
  // Parameters 0-4: bits, probe, rows, out, histogram. Locals: 5 r, 6 d, then the probe words.
  const [H_BITS, H_PROBE, H_ROWS, H_OUT, H_HIST, H_R, H_D] = [0, 1, 2, 3, 4, 5, 6];
  const P = (w: number): number => 7 + w; // the probe's words
  const distance: number[] = [];
  for (let w = 0; w < words; w++) {
    distance.push(...get(H_BITS), ...I64_LOAD(8 * w), ...get(P(w)), I64_XOR, I64_POPCNT);
    if (w > 0) distance.push(I64_ADD);
  }
  const loadProbe: number[] = [];
  for (let w = 0; w < words; w++) loadProbe.push(...get(H_PROBE), ...I64_LOAD(8 * w), ...set(P(w)));
  const histogramSlot = [...get(H_HIST), ...get(H_D), ...i32(2), SHL, ADD];
  return [
    ...vec([
      [2, I32],
      [words, I64],
    ]),
    ...loadProbe,
    ...i32(0),
    ...set(H_R),
    ...BLOCK,
    ...LOOP,
    ...get(H_R),
    ...get(H_ROWS),
    GE_U,
    BR_IF,
    1,
    ...distance,
    I32_WRAP_I64,
    ...set(H_D),
    // out[r] = d
    ...get(H_OUT),
    ...get(H_R),
    ...i32(2),
    SHL,
    ADD,
    ...get(H_D),
    ...I32_STORE,
    // histogram[d] += 1
    ...histogramSlot,
    ...histogramSlot,
    ...I32_LOAD,
    ...i32(1),
    ADD,
    ...I32_STORE,
    ...get(H_BITS),
    ...i32(8 * words),
    ADD,
    ...set(H_BITS),
    ...get(H_R),
    ...i32(1),
    ADD,
    ...set(H_R),
    BR,
    0,
    END,
    END,
    END,
  ];
}

function hammingModule(words: number): Uint8Array<ArrayBuffer> {
  const body = hammingBody(words);
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), 0]])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 1]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('hamming'), 0x00, 0]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

let compiled: WebAssembly.Module | null = null;
const compiledHamming = new Map<number, WebAssembly.Module>();

/** Adds to histogram[d] (i32, zeroed by the caller) for every row's distance d. */
export type HammingFn = (
  bits: number,
  probe: number,
  rows: number,
  out: number,
  histogram: number,
) => void;

/**
 * Instantiates the Hamming-distance function for rows of `words` 64-bit words over the given
 * memory (compiled once per word count and thread).
 */
export function instantiateHamming(memory: WebAssembly.Memory, words: number): HammingFn {
  let module = compiledHamming.get(words);
  if (module === undefined) {
    module = new WebAssembly.Module(hammingModule(words));
    compiledHamming.set(words, module);
  }
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports.hamming as HammingFn;
}

export type ScoresFn = (
  codes: number,
  scales: number,
  probe: number,
  rows: number,
  dim: number,
  out: number,
) => void;

/** Instantiates the scoring function over the given memory (compiled once per thread). */
export function instantiateScores(memory: WebAssembly.Memory): ScoresFn {
  compiled ??= new WebAssembly.Module(MODULE_BYTES);
  const instance = new WebAssembly.Instance(compiled, { env: { memory } });
  return instance.exports.scores as ScoresFn;
}

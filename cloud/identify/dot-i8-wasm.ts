/**
 * The one hot loop of identification, as a tiny WebAssembly module with 128-bit SIMD.
 *
 * Why WebAssembly: 100,000 templates x 512 dimensions is 51 million multiply-adds per identify.
 * Plain JavaScript does not vectorise and needs ~50 ms for that; the float32 matrix alone is
 * 205 MB, so even a perfect float loop is memory-bound near 20 ms. Rows quantised to int8 (51 MB)
 * and scanned 16 lanes at a time meet the 10 ms budget. The module is assembled here from its
 * opcodes (no toolchain to install, nothing to fetch, bundles like any other module); the
 * equivalent text format is in the comment on `scoresBody`.
 *
 * export scores(query i32, matrix i32, rows i32, dim i32, out i32)
 *   query:  dim x int16 (the probe, quantised)        matrix: rows x dim x int8 (row-major)
 *   out:    rows x int32, out[r] = sum_j matrix[r][j] * query[j]
 * dim must be a multiple of 16. Memory is imported, so JavaScript writes rows in place.
 */

const I32 = 0x7f;
const V128 = 0x7b;

/** Unsigned LEB128, as WebAssembly encodes sizes, indexes and SIMD sub-opcodes. */
function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

// Instructions used below.
const get = (i: number): number[] => [0x20, ...uleb(i)];
const set = (i: number): number[] => [0x21, ...uleb(i)];
/** i32.const takes signed LEB128, which equals the unsigned form below 64: all this needs. */
const i32c = (v: number): number[] => {
  if (v < 0 || v > 63) throw new Error('i32c encodes 0-63 only');
  return [0x41, v];
};
const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
const v128Load = (offset: number): number[] => simd(0x00, 0, ...uleb(offset)); // align hint 1
const I32_ADD = 0x6a;
const I32_SHL = 0x74;
const I32_LT_U = 0x49;
const I32_GE_U = 0x4f;
const I32_STORE = [0x36, 2, 0]; // align 4, offset 0
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const V128_ZERO = simd(0x0c, ...new Array<number>(16).fill(0));
const EXTEND_LOW_S = simd(0x87); // i16x8.extend_low_i8x16_s
const EXTEND_HIGH_S = simd(0x88); // i16x8.extend_high_i8x16_s
const DOT_I16 = simd(0xba); // i32x4.dot_i16x8_s
const ADD_I32X4 = simd(0xae); // i32x4.add
const lane = (i: number): number[] => simd(0x1b, i); // i32x4.extract_lane

// Parameters 0-4 and locals 5-10.
const [Q, MAT, ROWS, DIM, OUT] = [0, 1, 2, 3, 4];
const [R, J, P, ACC_LO, ACC_HI, ROW] = [5, 6, 7, 8, 9, 10];

/**
 *   (local $r i32) (local $j i32) (local $p i32) (local $lo v128) (local $hi v128) (local $v v128)
 *   p = matrix
 *   block $done loop $rows
 *     br_if $done (r >= rows)
 *     lo = 0; hi = 0; j = 0
 *     loop $cols
 *       v  = v128.load(p + j)                                   ;; 16 int8 of the row
 *       lo += i32x4.dot_i16x8_s(extend_low_s(v),  v128.load(query + 2j))
 *       hi += i32x4.dot_i16x8_s(extend_high_s(v), v128.load offset=16 (query + 2j))
 *       j += 16
 *       br_if $cols (j < dim)
 *     end
 *     out[r] = sum of the lanes of (lo + hi)
 *     p += dim; r += 1
 *     br $rows
 *   end end
 */
function scoresBody(): number[] {
  const queryAt = [...get(Q), ...get(J), ...i32c(1), I32_SHL, I32_ADD];
  // prettier-ignore
  const code = [
    ...get(MAT), ...set(P),
    ...BLOCK, ...LOOP,
      ...get(R), ...get(ROWS), I32_GE_U, BR_IF, 1,
      ...V128_ZERO, ...set(ACC_LO), ...V128_ZERO, ...set(ACC_HI), ...i32c(0), ...set(J),
      ...LOOP,
        ...get(P), ...get(J), I32_ADD, ...v128Load(0), ...set(ROW),
        ...get(ACC_LO), ...get(ROW), ...EXTEND_LOW_S, ...queryAt, ...v128Load(0), ...DOT_I16,
        ...ADD_I32X4, ...set(ACC_LO),
        ...get(ACC_HI), ...get(ROW), ...EXTEND_HIGH_S, ...queryAt, ...v128Load(16), ...DOT_I16,
        ...ADD_I32X4, ...set(ACC_HI),
        ...get(J), ...i32c(16), I32_ADD, ...set(J),
        ...get(J), ...get(DIM), I32_LT_U, BR_IF, 0,
      END,
      ...get(OUT), ...get(R), ...i32c(2), I32_SHL, I32_ADD,
      ...get(ACC_LO), ...get(ACC_HI), ...ADD_I32X4, ...set(ROW),
      ...get(ROW), ...lane(0), ...get(ROW), ...lane(1), I32_ADD,
      ...get(ROW), ...lane(2), I32_ADD, ...get(ROW), ...lane(3), I32_ADD,
      ...I32_STORE,
      ...get(P), ...get(DIM), I32_ADD, ...set(P),
      ...get(R), ...i32c(1), I32_ADD, ...set(R),
      BR, 0,
    END, END,
    END,
  ];
  const locals = vec([
    [3, I32],
    [3, V128],
  ]);
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), 0]])), // (i32 x5) -> ()
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 1]])), // memory, min 1 page
    ...section(3, vec([[0]])), // one function of type 0
    ...section(7, vec([[...name('scores'), 0x00, 0]])), // export it
    ...section(10, vec([scoresBody()])),
  ];
  return new Uint8Array(bytes);
}

export type ScoresFn = (
  query: number,
  matrix: number,
  rows: number,
  dim: number,
  out: number,
) => void;

/** Compiles the kernel against the given memory (synchronously: it is a few hundred bytes). */
export function instantiateScores(memory: WebAssembly.Memory): ScoresFn {
  const module = new WebAssembly.Module(moduleBytes());
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports.scores as ScoresFn;
}

/**
 * The one 1:N engine: the terminal's local gallery and the cloud's template index
 * (cloud/identify/template-index.ts) both search with this class.
 *
 * Fast at 100,000: templates live in one contiguous matrix (no object per template); a first
 * pass scores every template with int8 codes in WebAssembly SIMD (wasm-dot.ts), a second pass
 * rescores, with the exact float32 vectors, every template that can still be the best of an
 * identity in the top k (a proven bound, not a guess), so the similarities returned, and the
 * ranking, are exact cosines. Templates can be removed (consent withdrawn): the row becomes a
 * tombstone the scan skips.
 *
 * At a million templates even the int8 scan is too slow (512 MB per search) and the float32
 * copy too big to stream, so from `prefilterFrom` rows on, identify() first ranks every row by
 * the Hamming distance between sign bits (64 bytes a template, i64.popcnt in WebAssembly), then
 * rescores a shortlist of the nearest `shortlist` rows exactly. That answer is no longer proven
 * exact: its top 1 agrees with brute force on face-like galleries (identify-recall.test.ts,
 * bench/identify-1m.bench.ts measure how often). The sign bits are kept for every row from the
 * start, so a gallery crosses the size without a rebuild.
 */
import { EMBEDDING_SIZE } from './embedding';
import { instantiateHamming, instantiateScores, type HammingFn, type ScoresFn } from './wasm-dot';

export interface Match {
  id: string;
  /** Row of the template in the gallery. */
  index: number;
  /** Exact cosine similarity of the probe and this template. */
  similarity: number;
}

export interface GalleryOptions {
  /**
   * Rows from which identify() prefilters by sign bits instead of scanning every int8 code.
   * Measured on face-like galleries (2 shared cores): exhaustive / prefiltered 2.4 / 1.3 ms at
   * 50,000 rows, 13.1 / 2.4 ms at 100,000, 24.3 / 3.6 ms at 200,000. Below 100,000 the
   * exhaustive scan meets the 10 ms target and is proven exact, so it is kept there.
   */
  prefilterFrom?: number;
  /** Rows the prefilter passes on to exact rescoring. */
  shortlist?: number;
  /**
   * false: keep only the int8 codes, not a float32 copy of every template, a fifth of the
   * memory (a million float templates are 2 GB). Similarities are then exact cosines of the
   * int8 templates (each off the float one by about 5e-4, far below any threshold's margin).
   */
  floatCopy?: boolean;
}

export const DEFAULT_PREFILTER_FROM = 100_000;
export const DEFAULT_SHORTLIST = 2000;

const PAGE = 65536;
/** rowIdentity of a removed template. */
const REMOVED = -1;

export class Gallery {
  readonly dim: number;
  private ids: string[] = [];
  /** Each row's identity as a small number (REMOVED for a tombstone). */
  private rowIdentity: Int32Array;
  private identityNumbers = new Map<string, number>();
  /** Live rows of each identity number: for exact per-identity scores and the identity count. */
  private rowsOfIdentity: number[][] = [];
  private liveIdentities = 0;
  private liveRows = 0;
  private vectors: Float32Array;
  private capacity: number;
  // WebAssembly memory layout: [probe int16 x dim | probe bits u64 x words | histogram i32 x
  // (64*words + 2) | out f32 x cap | scales f32 x cap | codes int8 x cap*dim | sign bits u64 x
  // cap*words]
  private memory!: WebAssembly.Memory;
  private scores!: ScoresFn;
  private hamming!: HammingFn;
  private probe16!: Int16Array;
  private probeBits!: Uint32Array;
  /** How many rows are at each Hamming distance (filled by the prefilter's scan). */
  private histogram!: Int32Array;
  /** Sign bits of every row: bit i of a row is set when its component i is positive. */
  private bits!: Uint32Array;
  /** 64-bit words of sign bits per row. */
  private readonly words: number;
  readonly prefilterFrom: number;
  readonly shortlist: number;
  readonly floatCopy: boolean;
  private out!: Float32Array;
  private scales!: Float32Array;
  private codes!: Int8Array;
  private maxScale = 0;

  constructor(dim = EMBEDDING_SIZE, initialCapacity = 1024, options: GalleryOptions = {}) {
    if (dim % 16 !== 0) throw new RangeError(`dimension must be a multiple of 16, got ${dim}`);
    this.dim = dim;
    this.words = Math.ceil(dim / 64);
    this.prefilterFrom = options.prefilterFrom ?? DEFAULT_PREFILTER_FROM;
    this.shortlist = options.shortlist ?? DEFAULT_SHORTLIST;
    this.floatCopy = options.floatCopy ?? true;
    if (!(this.shortlist >= 1)) throw new RangeError(`shortlist must be at least 1`);
    this.capacity = Math.max(16, initialCapacity);
    this.vectors = new Float32Array(this.floatCopy ? this.capacity * dim : 0);
    this.rowIdentity = new Int32Array(this.capacity);
    this.allocate(this.capacity);
  }

  /** How many distinct identities have at least one template. */
  get identities(): number {
    return this.liveIdentities;
  }

  /** Templates enrolled and not removed. */
  get size(): number {
    return this.liveRows;
  }

  /** Rows in use, tombstones included (row numbers run 0..rows-1). */
  get rows(): number {
    return this.ids.length;
  }

  idAt(index: number): string {
    const id = this.ids[index];
    if (id === undefined) throw new RangeError(`no template ${index}`);
    return id;
  }

  /** The exact template at a row (a view: do not modify; without a float copy, a decoded copy). */
  vectorAt(index: number): Float32Array {
    if (index < 0 || index >= this.rows) throw new RangeError(`no template ${index}`);
    if (!this.floatCopy) {
      const scale = this.scales[index] as number;
      return Float32Array.from(
        this.codes.subarray(index * this.dim, (index + 1) * this.dim),
        (c) => c * scale,
      );
    }
    return this.vectors.subarray(index * this.dim, (index + 1) * this.dim);
  }

  /** Room for `rows` templates at once (loading a whole index), rather than doubling repeatedly. */
  reserve(rows: number): void {
    if (rows > this.capacity) this.grow(rows);
  }

  /**
   * Adds an L2-normalised template under `id` (one person may have several); returns its row.
   * A non-finite value is refused: one NaN would make every later score NaN.
   */
  add(id: string, embedding: ArrayLike<number>): number {
    if (embedding.length !== this.dim) {
      throw new RangeError(`template must have ${this.dim} values, got ${embedding.length}`);
    }
    let max = 0;
    for (let i = 0; i < this.dim; i++) {
      const v = embedding[i] as number;
      if (!Number.isFinite(v)) throw new RangeError(`template value ${i} is not finite`);
      max = Math.max(max, Math.abs(v));
    }
    if (this.rows === this.capacity) this.grow(this.capacity * 2);
    const row = this.rows;
    if (this.floatCopy) this.vectors.set(embedding, row * this.dim);
    // Per-template scale: the largest component maps to 127.
    const scale = max > 0 ? max / 127 : 1;
    const codes = this.codes.subarray(row * this.dim, (row + 1) * this.dim);
    for (let i = 0; i < this.dim; i++) codes[i] = Math.round((embedding[i] as number) / scale);
    this.scales[row] = scale;
    writeSignBits(embedding, this.dim, this.bits, row * this.words * 2);
    this.maxScale = Math.max(this.maxScale, scale);
    let identity = this.identityNumbers.get(id);
    if (identity === undefined) {
      identity = this.identityNumbers.size;
      this.identityNumbers.set(id, identity);
      this.rowsOfIdentity.push([]);
    }
    const own = this.rowsOfIdentity[identity] as number[];
    if (own.length === 0) this.liveIdentities += 1;
    own.push(row);
    this.rowIdentity[row] = identity;
    this.ids.push(id);
    this.liveRows += 1;
    return row;
  }

  /** Removes the template at `row`; the scan skips it from now on. Removing twice does nothing. */
  remove(row: number): void {
    if (row < 0 || row >= this.rows) throw new RangeError(`no template ${row}`);
    const identity = this.rowIdentity[row] as number;
    if (identity === REMOVED) return;
    this.rowIdentity[row] = REMOVED;
    this.scales[row] = 0; // approximate score 0, and the row is skipped besides
    this.codes.fill(0, row * this.dim, (row + 1) * this.dim);
    this.bits.fill(0, row * this.words * 2, (row + 1) * this.words * 2);
    this.vectors.fill(0, row * this.dim, (row + 1) * this.dim);
    const own = (this.rowsOfIdentity[identity] as number[]).filter((r) => r !== row);
    this.rowsOfIdentity[identity] = own;
    if (own.length === 0) this.liveIdentities -= 1;
    this.liveRows -= 1;
  }

  /** How many live templates `id` has. */
  templatesOf(id: string): number {
    const identity = this.identityNumbers.get(id);
    return identity === undefined ? 0 : (this.rowsOfIdentity[identity] as number[]).length;
  }

  /**
   * The exact best match among `id`'s templates (a 1:1 check against a claimed identity, or a
   * search narrowed to a few identities), or null when it has none.
   */
  bestOf(probe: Float32Array, id: string): Match | null {
    const identity = this.identityNumbers.get(id);
    if (identity === undefined) return null;
    let best: Match | null = null;
    for (const row of this.rowsOfIdentity[identity] as number[]) {
      const similarity = this.exact(probe, row);
      if (best === null || similarity > best.similarity) best = { id, index: row, similarity };
    }
    return best;
  }

  /**
   * The k most similar enrolled identities, best first (each identity once, by its best
   * template). Below `prefilterFrom` rows exact (identifyExact); from there on prefiltered by
   * sign bits, the similarities returned still exact cosines.
   */
  identify(probe: Float32Array, k = 5): Match[] {
    if (probe.length !== this.dim) throw new RangeError(`probe must have ${this.dim} values`);
    const n = this.rows;
    if (this.liveRows === 0 || k <= 0) return [];
    return n >= this.prefilterFrom
      ? this.identifyPrefiltered(probe, k)
      : this.identifyExact(probe, k);
  }

  /**
   * identify() by exhaustive search at any size: the reference the prefilter is measured
   * against (about 30 ms at a million rows).
   */
  identifyExact(probe: Float32Array, k = 5): Match[] {
    if (probe.length !== this.dim) throw new RangeError(`probe must have ${this.dim} values`);
    const n = this.rows;
    if (this.liveRows === 0 || k <= 0) return [];
    // out[r] = approximate cosine for every row.
    const { pscale, bound } = this.quantiseProbe(probe);
    const { outPtr, scalesPtr, codesPtr } = this.layout(this.capacity);
    this.scores(codesPtr, scalesPtr, 0, n, this.dim, outPtr);
    const out = this.out;
    if (pscale !== 1) for (let r = 0; r < n; r++) out[r] = (out[r] as number) * pscale;

    // Let S be the k-th largest of the identities' best approximate scores: k identities score
    // at least S - bound exactly, so the exact k-th best identity scores at least that, and a
    // row more than 2 * bound below S cannot be the best template of an identity in the exact
    // top k. (Ranking rows instead of identities would let one person with many templates crowd
    // out the runner-up.)
    const identities = this.identityNumbers.size;
    const bestPerIdentity = new Float32Array(identities).fill(-Infinity);
    const rowIdentity = this.rowIdentity;
    for (let r = 0; r < n; r++) {
      const who = rowIdentity[r] as number;
      if (who === REMOVED) continue;
      const score = out[r] as number;
      if (score > (bestPerIdentity[who] as number)) bestPerIdentity[who] = score;
    }
    const kth = kthLargest(bestPerIdentity, identities, Math.min(this.liveIdentities, k));
    const floor = kth - 2 * bound;
    const candidates: Match[] = [];
    for (let r = 0; r < n; r++) {
      if ((out[r] as number) >= floor && rowIdentity[r] !== REMOVED)
        candidates.push({ id: this.ids[r] as string, index: r, similarity: 0 });
    }
    return this.rescore(probe, candidates, k);
  }

  /**
   * identify() for a very large gallery: the `shortlist` rows nearest by Hamming distance of
   * sign bits, rescored exactly. Two unit vectors at angle θ differ in about dim·θ/π signs, so a
   * genuine match (cosine ~0.5, θ ~ 60°: ~170 of 512 bits) stands far below strangers (~256 ±
   * 11): it is in the shortlist unless thousands of strangers are nearer than it.
   */
  private identifyPrefiltered(probe: Float32Array, k: number): Match[] {
    const { pscale, bound } = this.quantiseProbe(probe);
    this.probeBits.fill(0);
    writeSignBits(probe, this.dim, this.probeBits, 0);
    const n = this.rows;
    const { probeBitsPtr, histogramPtr, outPtr, bitsPtr, scalesPtr, codesPtr } = this.layout(
      this.capacity,
    );
    // Counting sort by distance (0..64·words): the largest distance that keeps the shortlist full.
    // Tombstones are counted too: their bits are zero, so they sit at the probe's own popcount,
    // ~dim/2, far from any shortlist.
    const histogram = this.histogram;
    histogram.fill(0);
    this.hamming(bitsPtr, probeBitsPtr, n, outPtr, histogramPtr);
    const distance = new Int32Array(this.memory.buffer, outPtr, n);
    let cutoff = 0;
    for (let total = 0; cutoff < histogram.length - 1; cutoff++) {
      total += histogram[cutoff] as number;
      if (total >= this.shortlist) break;
    }
    const shortlist: number[] = [];
    const rowIdentity = this.rowIdentity;
    for (let r = 0; r < n; r++) {
      if ((distance[r] as number) <= cutoff && rowIdentity[r] !== REMOVED) shortlist.push(r);
    }
    // Approximate int8 scores of the shortlist in WebAssembly (a call per row: they are
    // scattered; ~0.3 µs each where a JavaScript dot product costs several), then identifyExact's
    // bound picks the few rows to score exactly: the answer is exact within the shortlist.
    const out = this.out; // the distances are read: the region is free again
    const best = new Map<number, number>(); // identity -> its best approximate score
    for (let i = 0; i < shortlist.length; i++) {
      const r = shortlist[i] as number;
      this.scores(codesPtr + r * this.dim, scalesPtr + r * 4, 0, 1, this.dim, outPtr + i * 4);
      const score = (out[i] as number) * pscale;
      out[i] = score;
      const who = rowIdentity[r] as number;
      if (score > (best.get(who) ?? -Infinity)) best.set(who, score);
    }
    const bests = Float32Array.from(best.values());
    const floor = kthLargest(bests, bests.length, Math.min(bests.length, k)) - 2 * bound;
    const candidates: Match[] = [];
    for (let i = 0; i < shortlist.length; i++) {
      if ((out[i] as number) < floor) continue;
      const r = shortlist[i] as number;
      candidates.push({ id: this.ids[r] as string, index: r, similarity: 0 });
    }
    return this.rescore(probe, candidates, k);
  }

  /**
   * Writes the probe as int16 (its own scale) for the int8 scan; returns that scale and the
   * error bound of an approximate score. Each template code is off by at most half its scale per
   * component, the probe by half of pscale: |err| <= maxScale/2 * |p|_1 + pscale/2 * |t|_1, and
   * |t|_1 <= sqrt(dim) for a unit vector. A non-finite value is refused.
   */
  private quantiseProbe(probe: Float32Array): { pscale: number; bound: number } {
    let pmax = 0;
    let pl1 = 0;
    for (let i = 0; i < this.dim; i++) {
      const a = Math.abs(probe[i] as number);
      pmax = Math.max(pmax, a);
      pl1 += a;
    }
    if (!Number.isFinite(pl1)) throw new RangeError('probe has a value that is not finite');
    const pscale = pmax > 0 ? pmax / 32767 : 1;
    for (let i = 0; i < this.dim; i++) this.probe16[i] = Math.round((probe[i] as number) / pscale);
    const bound = (this.maxScale / 2) * pl1 + (pscale / 2) * Math.sqrt(this.dim);
    return { pscale, bound };
  }

  /** Exact scores of the candidates, then the best k identities, each once by its best row. */
  private rescore(probe: Float32Array, candidates: Match[], k: number): Match[] {
    for (const c of candidates) c.similarity = this.exact(probe, c.index);
    candidates.sort((a, b) => b.similarity - a.similarity);
    const seen = new Set<string>();
    const best: Match[] = [];
    for (const c of candidates) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      best.push(c);
      if (best.length === k) break;
    }
    return best;
  }

  /** Exact cosine of the probe and the template at `index`. */
  exact(probe: Float32Array, index: number): number {
    const o = index * this.dim;
    let s = 0;
    if (!this.floatCopy) {
      const codes = this.codes;
      for (let i = 0; i < this.dim; i++) s += (probe[i] as number) * (codes[o + i] as number);
      return s * (this.scales[index] as number);
    }
    const v = this.vectors;
    for (let i = 0; i < this.dim; i++) s += (probe[i] as number) * (v[o + i] as number);
    return s;
  }

  /** Byte offsets of the regions of WebAssembly memory for a capacity (all 8-byte aligned). */
  private layout(capacity: number) {
    const probeBitsPtr = this.dim * 2;
    const histogramPtr = probeBitsPtr + this.words * 8;
    const outPtr = histogramPtr + (this.words * 64 + 2) * 4;
    const scalesPtr = outPtr + capacity * 4;
    const codesPtr = scalesPtr + capacity * 4;
    const bitsPtr = codesPtr + capacity * this.dim;
    const end = bitsPtr + capacity * this.words * 8;
    return { probeBitsPtr, histogramPtr, outPtr, scalesPtr, codesPtr, bitsPtr, end };
  }

  private allocate(capacity: number): void {
    const at = this.layout(capacity);
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(at.end / PAGE) });
    this.scores = instantiateScores(this.memory);
    this.hamming = instantiateHamming(this.memory, this.words);
    const buf = this.memory.buffer;
    this.probe16 = new Int16Array(buf, 0, this.dim);
    this.probeBits = new Uint32Array(buf, at.probeBitsPtr, this.words * 2);
    this.histogram = new Int32Array(buf, at.histogramPtr, this.words * 64 + 2);
    this.out = new Float32Array(buf, at.outPtr, capacity);
    this.scales = new Float32Array(buf, at.scalesPtr, capacity);
    this.codes = new Int8Array(buf, at.codesPtr, capacity * this.dim);
    this.bits = new Uint32Array(buf, at.bitsPtr, capacity * this.words * 2);
  }

  private grow(capacity: number): void {
    const { scales, codes, bits, vectors, rowIdentity } = this;
    const used = this.rows;
    this.allocate(capacity);
    this.rowIdentity = new Int32Array(capacity);
    this.rowIdentity.set(rowIdentity.subarray(0, used));
    this.scales.set(scales.subarray(0, used));
    this.codes.set(codes.subarray(0, used * this.dim));
    this.bits.set(bits.subarray(0, used * this.words * 2));
    this.vectors = new Float32Array(this.floatCopy ? capacity * this.dim : 0);
    this.vectors.set(vectors.subarray(0, used * this.dim));
    this.capacity = capacity;
  }
}

/** Sets bit i of words[at..] when values[i] > 0 (the words start at zero). */
function writeSignBits(
  values: ArrayLike<number>,
  dim: number,
  words: Uint32Array,
  at: number,
): void {
  for (let w = 0; w < dim; w += 32) {
    let word = 0;
    for (let i = w; i < Math.min(w + 32, dim); i++)
      if ((values[i] as number) > 0) word |= 1 << (i - w);
    words[at + (w >>> 5)] = word;
  }
}

/**
 * The k-th largest of values[0..n) (k >= 1) in one pass, keeping a small sorted buffer: at
 * 100,000 values and k = 20 almost every value fails the first comparison.
 */
export function kthLargest(values: Float32Array, n: number, k: number): number {
  const top = new Float64Array(k).fill(-Infinity); // descending
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v <= (top[k - 1] as number)) continue;
    let j = k - 1;
    while (j > 0 && (top[j - 1] as number) < v) {
      top[j] = top[j - 1] as number;
      j--;
    }
    top[j] = v;
  }
  return top[k - 1] as number;
}

/**
 * Every enrolled face template in memory, for 1:N identification.
 *
 * Two copies of each row: int8 (in WebAssembly memory, scanned in one SIMD pass for approximate
 * scores) and float32 (for the exact cosine of the few best candidates). The int8 scan keeps a
 * 100,000-template search within a few milliseconds; the exact rescoring means every decision
 * (threshold, margin) is taken on the true cosine, not on a quantised one.
 *
 * Scores are cosine similarities: rows and probes are L2-normalised, so a dot product is enough.
 * The runner-up is always a different payer, because a payer may have several templates.
 */
import { instantiateScores, type ScoresFn } from './dot-i8-wasm';

export interface Candidate {
  payerId: string;
  score: number;
}

export interface SearchResult {
  best: Candidate | null;
  /** The best-scoring other payer. */
  second: Candidate | null;
}

/** Rows are quantised to ±127; the probe to ±16383, which keeps every int32 sum from overflowing. */
const ROW_LEVELS = 127;
const QUERY_LEVELS = 16383;
/**
 * Distinct payers carried from the approximate scan to exact rescoring. The int8 error is about
 * 1e-3 of cosine; the true top two are among the approximate top eight unless eight payers sit
 * within that of each other, and then the answer is "ambiguous" whichever two they are.
 */
const RESCORE_PAYERS = 8;
const PAGE = 65536;

export function l2Normalise(values: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] as number) ** 2;
  const norm = Math.sqrt(sum);
  if (!(norm > 0) || !Number.isFinite(norm)) throw new Error('the embedding is zero or not finite');
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = (values[i] as number) / norm;
  return out;
}

export class TemplateIndex {
  readonly dim: number;
  private readonly memory = new WebAssembly.Memory({ initial: 1 });
  private readonly scores: ScoresFn;
  /** Bytes at the start of the memory for the quantised probe. */
  private readonly matrixOffset: number;
  private capacity = 0;
  /** Rows in use, tombstones included. */
  private rows = 0;
  private liveRows = 0;
  private exact = new Float32Array(0);
  private rowScale = new Float32Array(0);
  /** Payer slot of each row; -1 marks a removed template. */
  private rowPayer = new Int32Array(0);
  private readonly rowByTemplate = new Map<number, number>();
  private readonly payerIds: string[] = [];
  private readonly slotByPayer = new Map<string, number>();
  private readonly rowsOfPayer: number[][] = [];
  private readonly tailOfPayer: string[] = [];
  /** Last four phone digits -> payer slots: the narrowing after an ambiguous match. */
  private readonly payersByTail = new Map<string, Set<number>>();

  constructor(dim = 512) {
    if (dim % 16 !== 0) throw new Error('the embedding size must be a multiple of 16');
    this.dim = dim;
    this.matrixOffset = Math.ceil((dim * 2) / 64) * 64;
    this.scores = instantiateScores(this.memory);
  }

  /** Live templates. */
  get size(): number {
    return this.liveRows;
  }

  get payers(): number {
    return this.slotByPayer.size;
  }

  has(templateId: number): boolean {
    return this.rowByTemplate.has(templateId);
  }

  /** Make room for `rows` templates at once (loading at start), rather than doubling repeatedly. */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const capacity = Math.max(rows, 1024);
    const needed = this.matrixOffset + capacity * this.dim + capacity * 4;
    const pages = Math.ceil(needed / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (pages > 0) this.memory.grow(pages);
    const exact = new Float32Array(capacity * this.dim);
    exact.set(this.exact.subarray(0, this.rows * this.dim));
    this.exact = exact;
    this.rowScale = grow(this.rowScale, capacity, Float32Array);
    this.rowPayer = grow(this.rowPayer, capacity, Int32Array);
    this.capacity = capacity;
  }

  /** Adds a template. Adding a template id already present does nothing (replays are harmless). */
  add(templateId: number, payerId: string, phoneTail: string, embedding: ArrayLike<number>): void {
    if (this.rowByTemplate.has(templateId)) return;
    if (embedding.length !== this.dim) {
      throw new Error(`expected a ${this.dim}-d embedding, got ${embedding.length}`);
    }
    const vector = l2Normalise(embedding);
    if (this.rows === this.capacity) this.reserve(Math.max(1024, this.capacity * 2));
    const row = this.rows++;
    this.exact.set(vector, row * this.dim);
    let maxAbs = 0;
    for (const v of vector) maxAbs = Math.max(maxAbs, Math.abs(v));
    const scale = maxAbs / ROW_LEVELS;
    const int8 = new Int8Array(this.memory.buffer, this.matrixOffset + row * this.dim, this.dim);
    for (let j = 0; j < this.dim; j++) int8[j] = Math.round((vector[j] as number) / scale);
    this.rowScale[row] = scale;

    let slot = this.slotByPayer.get(payerId);
    if (slot === undefined) {
      slot = this.payerIds.length;
      this.payerIds.push(payerId);
      this.rowsOfPayer.push([]);
      this.tailOfPayer.push(phoneTail);
      this.slotByPayer.set(payerId, slot);
      let set = this.payersByTail.get(phoneTail);
      if (set === undefined) this.payersByTail.set(phoneTail, (set = new Set()));
      set.add(slot);
    }
    this.rowPayer[row] = slot;
    this.rowsOfPayer[slot]?.push(row);
    this.rowByTemplate.set(templateId, row);
    this.liveRows++;
  }

  /**
   * Removes a template (consent withdrawn). The row becomes a tombstone the scan skips; the
   * space comes back when the index is next loaded.
   */
  remove(templateId: number): void {
    const row = this.rowByTemplate.get(templateId);
    if (row === undefined) return;
    this.rowByTemplate.delete(templateId);
    const slot = this.rowPayer[row] as number;
    this.rowPayer[row] = -1;
    this.rowScale[row] = 0;
    new Int8Array(this.memory.buffer, this.matrixOffset + row * this.dim, this.dim).fill(0);
    this.liveRows--;
    const rows = (this.rowsOfPayer[slot] ?? []).filter((r) => r !== row);
    this.rowsOfPayer[slot] = rows;
    if (rows.length === 0) {
      const payerId = this.payerIds[slot] as string;
      this.slotByPayer.delete(payerId);
      this.payersByTail.get(this.tailOfPayer[slot] as string)?.delete(slot);
    }
  }

  /** The best two payers over every template, or over those whose phone ends with `phoneTail`. */
  search(probe: ArrayLike<number>, phoneTail?: string): SearchResult {
    if (probe.length !== this.dim) throw new Error(`expected a ${this.dim}-d probe`);
    const query = l2Normalise(probe);
    const candidates =
      phoneTail === undefined
        ? this.approximateTopPayers(query)
        : [...(this.payersByTail.get(phoneTail) ?? [])];
    let best: Candidate | null = null;
    let second: Candidate | null = null;
    for (const slot of candidates) {
      const score = this.exactPayerScore(query, slot);
      const candidate = { payerId: this.payerIds[slot] as string, score };
      if (best === null || score > best.score) {
        second = best;
        best = candidate;
      } else if (second === null || score > second.score) {
        second = candidate;
      }
    }
    return { best, second };
  }

  /** One SIMD pass over every row, then the distinct payers with the highest approximate scores. */
  private approximateTopPayers(query: Float32Array): number[] {
    if (this.rows === 0) return [];
    let maxAbs = 0;
    for (const v of query) maxAbs = Math.max(maxAbs, Math.abs(v));
    const quantised = new Int16Array(this.memory.buffer, 0, this.dim);
    for (let j = 0; j < this.dim; j++) {
      quantised[j] = Math.round(((query[j] as number) / maxAbs) * QUERY_LEVELS);
    }
    const outOffset = this.matrixOffset + this.capacity * this.dim;
    this.scores(0, this.matrixOffset, this.rows, this.dim, outOffset);
    const raw = new Int32Array(this.memory.buffer, outOffset, this.rows);

    // A tiny top-k over distinct payers; most rows fail the first comparison.
    const slots: number[] = [];
    const best: number[] = [];
    let floor = -Infinity;
    for (let row = 0; row < this.rows; row++) {
      const slot = this.rowPayer[row] as number;
      if (slot < 0) continue;
      const score = (raw[row] as number) * (this.rowScale[row] as number);
      if (score <= floor) continue;
      const at = slots.indexOf(slot);
      if (at >= 0) {
        if (score > (best[at] as number)) best[at] = score;
      } else if (slots.length < RESCORE_PAYERS) {
        slots.push(slot);
        best.push(score);
      } else {
        const weakest = best.indexOf(Math.min(...best));
        slots[weakest] = slot;
        best[weakest] = score;
      }
      if (slots.length === RESCORE_PAYERS) floor = Math.min(...best);
    }
    return slots;
  }

  private exactPayerScore(query: Float32Array, slot: number): number {
    let best = -Infinity;
    const exact = this.exact;
    const dim = this.dim;
    for (const row of this.rowsOfPayer[slot] ?? []) {
      let dot = 0;
      const base = row * dim;
      for (let j = 0; j < dim; j++) dot += (query[j] as number) * (exact[base + j] as number);
      if (dot > best) best = dot;
    }
    return best;
  }
}

function grow<T extends Float32Array | Int32Array>(
  array: T,
  length: number,
  Kind: new (length: number) => T,
): T {
  const out = new Kind(length);
  out.set(array);
  return out;
}

/**
 * Every enrolled face template in memory, for 1:N identification: the cloud's bookkeeping
 * (template ids from the database, payers, phone tails) around the one 1:N engine the terminal
 * uses too, main/face/gallery.ts (an int8 WebAssembly SIMD scan, then exact float32 rescoring
 * of every row that can still be in the answer: every decision, threshold or margin, is taken
 * on the true cosine, not on a quantised one).
 *
 * Scores are cosine similarities: rows and probes are L2-normalised, so a dot product is enough.
 * The runner-up is always a different payer, because a payer may have several templates.
 */
import { Gallery } from '../../main/face/gallery';

export interface Candidate {
  payerId: string;
  score: number;
}

export interface SearchResult {
  best: Candidate | null;
  /** The best-scoring other payer. */
  second: Candidate | null;
}

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
  private readonly gallery: Gallery;
  private readonly rowByTemplate = new Map<number, number>();
  /** Last four phone digits -> payers: the narrowing after an ambiguous match. */
  private readonly payersByTail = new Map<string, Set<string>>();
  private readonly tailOfPayer = new Map<string, string>();

  constructor(dim = 512) {
    if (dim % 16 !== 0) throw new Error('the embedding size must be a multiple of 16');
    this.dim = dim;
    this.gallery = new Gallery(dim);
  }

  /** Live templates. */
  get size(): number {
    return this.gallery.size;
  }

  get payers(): number {
    return this.gallery.identities;
  }

  has(templateId: number): boolean {
    return this.rowByTemplate.has(templateId);
  }

  /** Make room for `rows` templates at once (loading at start), rather than doubling repeatedly. */
  reserve(rows: number): void {
    this.gallery.reserve(rows);
  }

  /** Adds a template. Adding a template id already present does nothing (replays are harmless). */
  add(templateId: number, payerId: string, phoneTail: string, embedding: ArrayLike<number>): void {
    if (this.rowByTemplate.has(templateId)) return;
    if (embedding.length !== this.dim) {
      throw new Error(`expected a ${this.dim}-d embedding, got ${embedding.length}`);
    }
    const row = this.gallery.add(payerId, l2Normalise(embedding));
    this.rowByTemplate.set(templateId, row);
    if (!this.tailOfPayer.has(payerId)) {
      this.tailOfPayer.set(payerId, phoneTail);
      let set = this.payersByTail.get(phoneTail);
      if (set === undefined) this.payersByTail.set(phoneTail, (set = new Set()));
      set.add(payerId);
    }
  }

  /**
   * Removes a template (consent withdrawn). The row becomes a tombstone the scan skips; the
   * space comes back when the index is next loaded.
   */
  remove(templateId: number): void {
    const row = this.rowByTemplate.get(templateId);
    if (row === undefined) return;
    this.rowByTemplate.delete(templateId);
    const payerId = this.gallery.idAt(row);
    this.gallery.remove(row);
    if (this.gallery.templatesOf(payerId) === 0) {
      const tail = this.tailOfPayer.get(payerId) as string;
      this.tailOfPayer.delete(payerId);
      this.payersByTail.get(tail)?.delete(payerId);
    }
  }

  /** The best two payers over every template, or over those whose phone ends with `phoneTail`. */
  search(probe: ArrayLike<number>, phoneTail?: string): SearchResult {
    if (probe.length !== this.dim) throw new Error(`expected a ${this.dim}-d probe`);
    const query = l2Normalise(probe);
    const ranked =
      phoneTail === undefined
        ? this.gallery.identify(query, 2)
        : [...(this.payersByTail.get(phoneTail) ?? [])]
            .map((payerId) => this.gallery.bestOf(query, payerId))
            .filter((m) => m !== null)
            .sort((a, b) => b.similarity - a.similarity);
    const candidate = (i: number): Candidate | null => {
      const m = ranked[i];
      return m === undefined ? null : { payerId: m.id, score: m.similarity };
    };
    return { best: candidate(0), second: candidate(1) };
  }
}

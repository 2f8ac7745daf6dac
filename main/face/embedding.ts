/** Embeddings: L2-normalised 512-d vectors, compared by cosine; and fusing a session's best frames. */

export const EMBEDDING_SIZE = 512;

/** Scales v to unit length in place and returns it (a zero vector stays zero). */
export function l2Normalise(v: Float32Array): Float32Array {
  let sq = 0;
  for (let i = 0; i < v.length; i++) sq += (v[i] as number) * (v[i] as number);
  const k = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * k;
  return v;
}

/** Cosine similarity of two L2-normalised vectors (their dot product), in -1..1. */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length)
    throw new RangeError(`embedding sizes differ: ${a.length} vs ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

export interface WeightedEmbedding {
  embedding: Float32Array;
  /** How much this frame should count, e.g. its quality score; must be > 0 to count. */
  weight: number;
}

/**
 * The session's template: the quality-weighted mean of the best frames' embeddings, renormalised.
 * Averaging unit vectors of one face cancels per-frame noise (pose, blur, sensor noise) while
 * keeping what they share; weighting keeps a poor frame from pulling the mean.
 */
export function fuseEmbeddings(items: readonly WeightedEmbedding[], best = 5): Float32Array {
  const chosen = [...items]
    .filter((i) => i.weight > 0)
    .sort((a, b) => b.weight - a.weight)
    .slice(0, best);
  const first = chosen[0];
  if (first === undefined) throw new RangeError('no embedding with a positive weight to fuse');
  const fused = new Float32Array(first.embedding.length);
  for (const { embedding, weight } of chosen) {
    if (embedding.length !== fused.length) throw new RangeError('embeddings of different sizes');
    for (let i = 0; i < fused.length; i++)
      fused[i] = (fused[i] as number) + weight * (embedding[i] as number);
  }
  return l2Normalise(fused);
}

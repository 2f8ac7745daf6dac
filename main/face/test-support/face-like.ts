/**
 * Face-like synthetic embeddings for 1:N tests and benches: each identity is a random unit
 * centre, each template or probe of it the centre plus noise, re-normalised, so that, as with
 * real face embeddings, two samples of one person score about 0.5 and strangers about 0 ± 0.05
 * (uniform random vectors would make every neighbour equally far, and a prefilter untestable).
 *
 * Deterministic and memory-free: an identity's centre is regenerated from its number, so a
 * million-template gallery needs no second copy of its centres.
 */
import type { Gallery } from '../gallery';

/** Noise length relative to the unit centre: same-person cosine ≈ 1 / (1 + spread²). */
export const DEFAULT_SPREAD = 0.9;

export class FaceLike {
  private state: number;
  private readonly centreBuffer: Float32Array;

  constructor(
    readonly dim = 512,
    seed = 1,
    readonly spread = DEFAULT_SPREAD,
  ) {
    this.state = seed >>> 0 || 1;
    this.centreBuffer = new Float32Array(dim);
  }

  /** The centre of identity `n` (a view reused by the next call). */
  centre(n: number): Float32Array {
    let s = (Math.imul(n + 1, 0x9e3779b1) ^ 0x5bd1e995) >>> 0 || 1;
    const c = this.centreBuffer;
    for (let i = 0; i < this.dim; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      c[i] = (s >>> 0) / 4294967296 - 0.5;
    }
    return normaliseInPlace(c);
  }

  /** A fresh noisy sample of identity `n` (a new array). */
  sample(n: number): Float32Array {
    return this.noisy(this.centre(n));
  }

  /** A noisy sample around a given centre. */
  noisy(centre: Float32Array): Float32Array {
    // Uniform noise in [-a, a] has variance a²/3 per component: |noise| ≈ spread.
    const a = this.spread * Math.sqrt(3 / this.dim) * 2;
    const out = new Float32Array(this.dim);
    let s = this.state;
    for (let i = 0; i < this.dim; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      out[i] = (centre[i] as number) + ((s >>> 0) / 4294967296 - 0.5) * a;
    }
    this.state = s;
    return normaliseInPlace(out);
  }
}

function normaliseInPlace(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) ** 2;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * inv;
  return v;
}

/**
 * Enrols `identities` people (`person-0`...) with `perIdentity` templates each into `gallery`;
 * returns the generator, whose later samples are probes of enrolled people, and whose centres
 * from `identities` on are people never enrolled (imposters).
 */
export function fillFaceLike(
  gallery: Gallery,
  identities: number,
  perIdentity: number,
  seed = 1,
  spread = DEFAULT_SPREAD,
): FaceLike {
  const faces = new FaceLike(gallery.dim, seed, spread);
  gallery.reserve(gallery.rows + identities * perIdentity);
  for (let n = 0; n < identities; n++) {
    const centre = faces.centre(n);
    for (let t = 0; t < perIdentity; t++) gallery.add(`person-${n}`, faces.noisy(centre));
  }
  return faces;
}

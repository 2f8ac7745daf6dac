/**
 * Least-squares similarity transform (rotation, uniform scale, translation) between point sets,
 * as Umeyama (1991) gives it. In 2-D, with points as complex numbers, Umeyama's SVD solution
 * reduces to z = sum(conj(s_i) d_i) / sum(|s_i|^2) on centred points, which is what this computes:
 * the same optimum (no reflection), in closed form, with no SVD to get wrong.
 */
import type { Point } from './image';
import type { Affine } from './sample';

/** x' = a*x - b*y + tx, y' = b*x + a*y + ty (scale = hypot(a, b), angle = atan2(b, a)). */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

export function estimateSimilarity(src: readonly Point[], dst: readonly Point[]): Similarity {
  const n = src.length;
  if (n < 2 || dst.length !== n)
    throw new RangeError('need two or more point pairs of equal count');
  let msx = 0;
  let msy = 0;
  let mdx = 0;
  let mdy = 0;
  for (let i = 0; i < n; i++) {
    msx += (src[i] as Point).x;
    msy += (src[i] as Point).y;
    mdx += (dst[i] as Point).x;
    mdy += (dst[i] as Point).y;
  }
  msx /= n;
  msy /= n;
  mdx /= n;
  mdy /= n;
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const sx = (src[i] as Point).x - msx;
    const sy = (src[i] as Point).y - msy;
    const dx = (dst[i] as Point).x - mdx;
    const dy = (dst[i] as Point).y - mdy;
    dot += sx * dx + sy * dy;
    cross += sx * dy - sy * dx;
    norm += sx * sx + sy * sy;
  }
  if (norm === 0) throw new RangeError('source points are all the same point');
  const a = dot / norm;
  const b = cross / norm;
  return { a, b, tx: mdx - (a * msx - b * msy), ty: mdy - (b * msx + a * msy) };
}

export function applySimilarity(t: Similarity, p: Point): Point {
  return { x: t.a * p.x - t.b * p.y + t.tx, y: t.b * p.x + t.a * p.y + t.ty };
}

export function invertSimilarity(t: Similarity): Similarity {
  const k = t.a * t.a + t.b * t.b;
  const a = t.a / k;
  const b = -t.b / k;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/** The same map in the sampler's form. */
export function similarityAffine(t: Similarity): Affine {
  return { a: t.a, b: -t.b, c: t.tx, d: t.b, e: t.a, f: t.ty };
}

/**
 * Depth liveness: a printed photo or a screen is flat, a face is not. Fit a plane to the depth
 * readings inside the face box (least squares, which also absorbs a photo held at an angle) and
 * measure how far the readings stand off it. A real face has a nose 20-30 mm proud of the cheeks
 * and eye sockets behind them: its residual is millimetres; a flat object's is sensor noise.
 */
import type { DepthMap } from './frame';
import type { Box } from './image';

export interface DepthRelief {
  /** Root-mean-square distance of the readings from their best-fit plane, in millimetres. */
  reliefMm: number;
  /** How many valid readings went into the fit. */
  samples: number;
}

/**
 * Residual that separates a face from a flat object. NOT calibrated on captured depth: the DEV
 * set has none. Chosen on the synthetic surfaces of depth.test.ts: a face-shaped surface (an
 * ellipsoid plus a 20 mm nose) measures about 6 mm, a flat or tilted sheet with +-1.5 mm of
 * sensor noise about 1 mm; 3 mm sits between. Recalibrate on real captures (faces, photos,
 * screens) from the terminal's camera. Known gap: a photo bent around a cylinder is not flat
 * and can pass a plane fit; the passive RGB model still has to be fooled as well.
 */
export const MIN_RELIEF_MM = 3;
/** Fewer valid readings than this on the face: no verdict (too far, or the sensor saw nothing). */
export const MIN_DEPTH_SAMPLES = 100;

/**
 * The relief of the face region. `box` is in colour-frame pixels; the depth map may have another
 * resolution and is assumed registered to the colour frame. Uses the middle 60 % of the box,
 * where every reading is face rather than background.
 */
export function depthRelief(
  depth: DepthMap,
  box: Box,
  frameWidth: number,
  frameHeight: number,
): DepthRelief {
  const sx = depth.width / frameWidth;
  const sy = depth.height / frameHeight;
  const w = box.x2 - box.x1;
  const h = box.y2 - box.y1;
  const x0 = Math.max(0, Math.floor((box.x1 + 0.2 * w) * sx));
  const x1 = Math.min(depth.width, Math.ceil((box.x2 - 0.2 * w) * sx));
  const y0 = Math.max(0, Math.floor((box.y1 + 0.2 * h) * sy));
  const y1 = Math.min(depth.height, Math.ceil((box.y2 - 0.2 * h) * sy));
  // Normal equations of z = p*x + q*y + r, in coordinates centred on the region for stability.
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  let n = 0;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  let sx1 = 0;
  let sy1 = 0;
  let sz = 0;
  let sxz = 0;
  let syz = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const z = depth.data[y * depth.width + x] as number;
      if (z === 0) continue;
      const u = x - cx;
      const v = y - cy;
      n += 1;
      sxx += u * u;
      sxy += u * v;
      syy += v * v;
      sx1 += u;
      sy1 += v;
      sz += z;
      sxz += u * z;
      syz += v * z;
    }
  }
  if (n < 3) return { reliefMm: 0, samples: n };
  const [p, q, r] = solve3([sxx, sxy, sx1, sxy, syy, sy1, sx1, sy1, n], [sxz, syz, sz]);
  let sq = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const z = depth.data[y * depth.width + x] as number;
      if (z === 0) continue;
      const e = z - (p * (x - cx) + q * (y - cy) + r);
      sq += e * e;
    }
  }
  return { reliefMm: Math.sqrt(sq / n), samples: n };
}

/** Solves the 3x3 system m (row-major) * s = b by Cramer's rule (the matrix is tiny and SPD). */
function solve3(m: number[], b: number[]): [number, number, number] {
  const [a, bb, c, d, e, f, g, h, i] = m as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [x, y, z] = b as [number, number, number];
  const det = a * (e * i - f * h) - bb * (d * i - f * g) + c * (d * h - e * g);
  if (Math.abs(det) < 1e-12) return [0, 0, (z as number) / (i || 1)];
  const dx = x * (e * i - f * h) - bb * (y * i - f * z) + c * (y * h - e * z);
  const dy = a * (y * i - f * z) - x * (d * i - f * g) + c * (d * z - y * g);
  const dz = a * (e * z - y * h) - bb * (d * z - y * g) + x * (d * h - e * g);
  return [dx / det, dy / det, dz / det];
}

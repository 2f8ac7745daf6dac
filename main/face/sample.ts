/**
 * The one pixel kernel of the pipeline: bilinear sampling of an RGB frame through an affine map,
 * fused with channel reordering and normalisation straight into a model's NCHW float tensor.
 * Every model input (detector letterbox, landmark crop, aligned face, liveness crop, eye crops)
 * is such a sample, so there is no intermediate image, no per-pixel allocation and one pass.
 */
import type { Box, RgbImage } from './image';

/**
 * Maps an output pixel (u, v) to the source position (x, y) it samples, both in pixel-index
 * coordinates (pixel centres at integers): x = a*u + b*v + c, y = d*u + e*v + f.
 */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

export type ChannelOrder = 'rgb' | 'bgr' | 'grey';

export interface TensorSpec {
  width: number;
  height: number;
  /** 'grey' writes one plane of 0.299 R + 0.587 G + 0.114 B (OpenCV's BGR2GRAY weights). */
  order: ChannelOrder;
  /** Each value written is (pixel - mean) * scale. */
  mean: number;
  scale: number;
  /** Outside the frame: repeat the edge pixel, or use this constant pixel value (0-255). */
  border: 'replicate' | number;
}

/** The map that resizes the rectangle `r` of the source onto a width x height output. */
export function rectToAffine(r: Box, width: number, height: number): Affine {
  const sx = (r.x2 - r.x1) / width;
  const sy = (r.y2 - r.y1) / height;
  // Pixel centres: output u + 0.5 lands on source edge coordinate x1 + (u + 0.5) * sx.
  return { a: sx, b: 0, c: r.x1 + 0.5 * sx - 0.5, d: 0, e: sy, f: r.y1 + 0.5 * sy - 0.5 };
}

/** Samples src through `map` into out (NCHW, one or three planes), starting at out[offset]. */
export function sampleToTensor(
  src: RgbImage,
  map: Affine,
  spec: TensorSpec,
  out: Float32Array,
  offset = 0,
): void {
  const { width: ow, height: oh, mean, scale } = spec;
  const plane = ow * oh;
  const needed = offset + plane * (spec.order === 'grey' ? 1 : 3);
  if (out.length < needed) throw new RangeError(`tensor too small: ${out.length} < ${needed}`);
  if (map.b === 0 && map.d === 0 && insideFrame(src, map, ow, oh)) {
    sampleAxisAligned(src, map, spec, out, offset);
    return;
  }
  const sw = src.width;
  const sh = src.height;
  const px = src.data;
  const stride = sw * 3;
  const replicate = spec.border === 'replicate';
  const fill = replicate ? 0 : (spec.border as number);
  // Plane offsets: channel 0 of the tensor takes R for 'rgb', B for 'bgr'.
  const bgr = spec.order === 'bgr';
  const grey = spec.order === 'grey';
  const p0 = offset + (bgr ? 2 * plane : 0);
  const p1 = offset + plane;
  const p2 = offset + (bgr ? 0 : 2 * plane);
  const maxX = sw - 1;
  const maxY = sh - 1;
  let i = 0;
  for (let v = 0; v < oh; v++) {
    let x = map.b * v + map.c;
    let y = map.e * v + map.f;
    for (let u = 0; u < ow; u++, i++, x += map.a, y += map.d) {
      let r: number;
      let g: number;
      let bl: number;
      const xf = Math.floor(x);
      const yf = Math.floor(y);
      const fx = x - xf;
      const fy = y - yf;
      if (xf >= 0 && yf >= 0 && xf < maxX && yf < maxY) {
        // Fast path: all four neighbours inside the frame.
        const o00 = yf * stride + xf * 3;
        const o10 = o00 + 3;
        const o01 = o00 + stride;
        const o11 = o01 + 3;
        const w00 = (1 - fx) * (1 - fy);
        const w10 = fx * (1 - fy);
        const w01 = (1 - fx) * fy;
        const w11 = fx * fy;
        r = (px[o00] as number) * w00 + (px[o10] as number) * w10;
        r += (px[o01] as number) * w01 + (px[o11] as number) * w11;
        g = (px[o00 + 1] as number) * w00 + (px[o10 + 1] as number) * w10;
        g += (px[o01 + 1] as number) * w01 + (px[o11 + 1] as number) * w11;
        bl = (px[o00 + 2] as number) * w00 + (px[o10 + 2] as number) * w10;
        bl += (px[o01 + 2] as number) * w01 + (px[o11 + 2] as number) * w11;
      } else if (!replicate && (x <= -1 || y <= -1 || x >= sw || y >= sh)) {
        r = g = bl = fill;
      } else {
        // Edge: clamp each neighbour (replicate), or blend with the constant (OpenCV's
        // BORDER_CONSTANT fades the face edge into the fill over one pixel).
        r = g = bl = 0;
        for (let k = 0; k < 4; k++) {
          const nx = xf + (k & 1);
          const ny = yf + (k >> 1);
          const w = (k & 1 ? fx : 1 - fx) * (k >> 1 ? fy : 1 - fy);
          if (!replicate && (nx < 0 || ny < 0 || nx > maxX || ny > maxY)) {
            r += fill * w;
            g += fill * w;
            bl += fill * w;
            continue;
          }
          const o =
            (ny < 0 ? 0 : ny > maxY ? maxY : ny) * stride +
            (nx < 0 ? 0 : nx > maxX ? maxX : nx) * 3;
          r += (px[o] as number) * w;
          g += (px[o + 1] as number) * w;
          bl += (px[o + 2] as number) * w;
        }
      }
      if (grey) {
        out[offset + i] = (0.299 * r + 0.587 * g + 0.114 * bl - mean) * scale;
      } else {
        out[p0 + i] = (r - mean) * scale;
        out[p1 + i] = (g - mean) * scale;
        out[p2 + i] = (bl - mean) * scale;
      }
    }
  }
}

/** Whether every bilinear neighbour of an axis-aligned map's samples lies inside the frame. */
function insideFrame(src: RgbImage, map: Affine, ow: number, oh: number): boolean {
  const xs = [map.c, map.a * (ow - 1) + map.c];
  const ys = [map.f, map.e * (oh - 1) + map.f];
  return (
    Math.min(...xs) >= 0 &&
    Math.max(...xs) < src.width - 1 &&
    Math.min(...ys) >= 0 &&
    Math.max(...ys) < src.height - 1
  );
}

/**
 * The common case (a resize or crop fully inside the frame, e.g. the detector's input) without
 * per-pixel floor() and bounds checks: the source columns and weights are the same on every
 * row, so they are computed once per call. About 3x faster than the general path.
 */
function sampleAxisAligned(
  src: RgbImage,
  map: Affine,
  spec: TensorSpec,
  out: Float32Array,
  offset: number,
): void {
  const { width: ow, height: oh, mean, scale } = spec;
  const plane = ow * oh;
  const px = src.data;
  const stride = src.width * 3;
  const colOffset = new Int32Array(ow);
  const colWeight = new Float32Array(ow);
  for (let u = 0; u < ow; u++) {
    const x = map.a * u + map.c;
    const xf = Math.floor(x);
    colOffset[u] = xf * 3;
    colWeight[u] = x - xf;
  }
  const bgr = spec.order === 'bgr';
  const grey = spec.order === 'grey';
  const p0 = offset + (bgr ? 2 * plane : 0);
  const p1 = offset + plane;
  const p2 = offset + (bgr ? 0 : 2 * plane);
  let i = 0;
  for (let v = 0; v < oh; v++) {
    const y = map.e * v + map.f;
    const yf = Math.floor(y);
    const fy = y - yf;
    const row0 = yf * stride;
    const row1 = row0 + stride;
    for (let u = 0; u < ow; u++, i++) {
      const fx = colWeight[u] as number;
      const o00 = row0 + (colOffset[u] as number);
      const o01 = row1 + (colOffset[u] as number);
      // Interpolate along x on both rows, then along y.
      const r0 = (px[o00] as number) + fx * ((px[o00 + 3] as number) - (px[o00] as number));
      const r1 = (px[o01] as number) + fx * ((px[o01 + 3] as number) - (px[o01] as number));
      const g0 = (px[o00 + 1] as number) + fx * ((px[o00 + 4] as number) - (px[o00 + 1] as number));
      const g1 = (px[o01 + 1] as number) + fx * ((px[o01 + 4] as number) - (px[o01 + 1] as number));
      const b0 = (px[o00 + 2] as number) + fx * ((px[o00 + 5] as number) - (px[o00 + 2] as number));
      const b1 = (px[o01 + 2] as number) + fx * ((px[o01 + 5] as number) - (px[o01 + 2] as number));
      const r = r0 + fy * (r1 - r0);
      const g = g0 + fy * (g1 - g0);
      const bl = b0 + fy * (b1 - b0);
      if (grey) {
        out[offset + i] = (0.299 * r + 0.587 * g + 0.114 * bl - mean) * scale;
      } else {
        out[p0 + i] = (r - mean) * scale;
        out[p1 + i] = (g - mean) * scale;
        out[p2 + i] = (bl - mean) * scale;
      }
    }
  }
}

/** A small RGB copy of the whole frame (bilinear), e.g. the customer display's preview. */
export function resizeRgb(src: RgbImage, width: number, height: number): RgbImage {
  const planes = new Float32Array(width * height * 3);
  const spec: TensorSpec = { width, height, order: 'rgb', mean: 0, scale: 1, border: 'replicate' };
  sampleToTensor(
    src,
    rectToAffine({ x1: 0, y1: 0, x2: src.width, y2: src.height }, width, height),
    spec,
    planes,
  );
  const n = width * height;
  const data = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    // +0.5 rounds: a typed-array store truncates.
    data[i * 3] = (planes[i] as number) + 0.5;
    data[i * 3 + 1] = (planes[n + i] as number) + 0.5;
    data[i * 3 + 2] = (planes[2 * n + i] as number) + 0.5;
  }
  return { width, height, data };
}

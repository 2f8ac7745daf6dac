/** The pixel and geometry types every stage shares. */

/** 8-bit RGB, interleaved, row-major, no padding: data.length === width * height * 3. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface Point {
  x: number;
  y: number;
}

/** Corners in pixels of the frame it was found in (x2, y2 exclusive edges). */
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export function boxWidth(b: Box): number {
  return b.x2 - b.x1;
}

export function boxHeight(b: Box): number {
  return b.y2 - b.y1;
}

export function boxArea(b: Box): number {
  return Math.max(0, b.x2 - b.x1) * Math.max(0, b.y2 - b.y1);
}

export function intersectionOverUnion(a: Box, b: Box): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (boxArea(a) + boxArea(b) - inter);
}

/** The square of side `side` centred on the box's centre (may reach outside the frame). */
export function squareAbout(b: Box, side: number): Box {
  const cx = (b.x1 + b.x2) / 2;
  const cy = (b.y1 + b.y2) / 2;
  return { x1: cx - side / 2, y1: cy - side / 2, x2: cx + side / 2, y2: cy + side / 2 };
}

export function assertRgbImage(img: RgbImage, what = 'image'): void {
  if (!Number.isInteger(img.width) || !Number.isInteger(img.height)) {
    throw new RangeError(`${what}: width and height must be integers`);
  }
  if (img.width < 1 || img.height < 1)
    throw new RangeError(`${what}: empty (${img.width}x${img.height})`);
  const expected = img.width * img.height * 3;
  if (img.data.length !== expected) {
    throw new RangeError(
      `${what}: ${img.width}x${img.height} RGB needs ${expected} bytes, got ${img.data.length}`,
    );
  }
}

/** Drops the alpha channel of RGBA pixels (what canvas getImageData and VideoFrame give). */
export function rgbaToRgb(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
): RgbImage {
  const n = width * height;
  const data = new Uint8Array(n * 3);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const o = i * 3;
    data[o] = rgba[j] as number;
    data[o + 1] = rgba[j + 1] as number;
    data[o + 2] = rgba[j + 2] as number;
  }
  return { width, height, data };
}

/**
 * Shrinks by an integer factor with a box filter until the longer side is at most maxSide.
 * Big still photos (a 2160-pixel phone picture) would otherwise alias badly when every later
 * stage samples them bilinearly at a tenth of their size.
 */
export function shrinkToFit(img: RgbImage, maxSide: number): RgbImage {
  const factor = Math.ceil(Math.max(img.width, img.height) / maxSide);
  if (factor <= 1) return img;
  const width = Math.floor(img.width / factor);
  const height = Math.floor(img.height / factor);
  const data = new Uint8Array(width * height * 3);
  const sums = new Uint32Array(width * 3);
  const area = factor * factor;
  for (let y = 0; y < height; y++) {
    sums.fill(0);
    for (let dy = 0; dy < factor; dy++) {
      const row = (y * factor + dy) * img.width * 3;
      for (let x = 0; x < width; x++) {
        let s = row + x * factor * 3;
        let r = 0;
        let g = 0;
        let b = 0;
        for (let dx = 0; dx < factor; dx++, s += 3) {
          r += img.data[s] as number;
          g += img.data[s + 1] as number;
          b += img.data[s + 2] as number;
        }
        sums[x * 3] = (sums[x * 3] as number) + r;
        sums[x * 3 + 1] = (sums[x * 3 + 1] as number) + g;
        sums[x * 3 + 2] = (sums[x * 3 + 2] as number) + b;
      }
    }
    const out = y * width * 3;
    for (let i = 0; i < width * 3; i++) data[out + i] = Math.round((sums[i] as number) / area);
  }
  return { width, height, data };
}

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

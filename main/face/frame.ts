/** What every frame source produces and the pipeline consumes. */
import { assertRgbImage, type RgbImage } from './image';

/**
 * Distance from the camera per pixel, in millimetres; 0 means "no reading". It may have its own
 * resolution: it is taken to cover the same field of view as the colour frame (registered).
 */
export interface DepthMap {
  width: number;
  height: number;
  data: Uint16Array;
}

/** A colour frame (RGB, see RgbImage) with its capture time and, from a 3D camera, depth. */
export interface Frame extends RgbImage {
  /** Capture time in milliseconds on the source's own monotonic clock. */
  timestampMs: number;
  depth?: DepthMap;
}

/**
 * One interface for every camera-like input: a replayed Y4M clip, still images, or frames pushed
 * in from a capture window. Frames live in memory only and only until the consumer drops them.
 */
export interface FrameSource {
  /** What this is, for messages ("y4m face.y4m 640x480 @10fps"): never pixel data. */
  readonly description: string;
  /** The next frame; null once the source has ended or was closed. Rejects on corrupt input. */
  next(): Promise<Frame | null>;
  /** Stops the source and releases what it holds; a pending next() resolves null. */
  close(): void;
}

export function assertDepthMap(depth: DepthMap, what = 'depth'): void {
  if (!(depth.data instanceof Uint16Array))
    throw new TypeError(`${what}: data must be a Uint16Array`);
  if (
    !Number.isInteger(depth.width) ||
    !Number.isInteger(depth.height) ||
    depth.width < 1 ||
    depth.height < 1
  ) {
    throw new RangeError(`${what}: bad size ${depth.width}x${depth.height}`);
  }
  if (depth.data.length !== depth.width * depth.height) {
    throw new RangeError(
      `${what}: ${depth.width}x${depth.height} needs ${depth.width * depth.height} values, got ${depth.data.length}`,
    );
  }
}

export function assertFrame(frame: Frame, what = 'frame'): void {
  assertRgbImage(frame, what);
  if (!Number.isFinite(frame.timestampMs))
    throw new RangeError(`${what}: timestampMs must be a finite number`);
  if (frame.depth !== undefined) assertDepthMap(frame.depth, `${what}.depth`);
}

/**
 * The messages between FaceEngine (main thread) and the face worker, with the runtime schemas
 * both ends validate on arrival. Pixels travel as transferred buffers, never copied or logged.
 */
import { z } from 'zod';
import type { FrameAnalysis } from './pipeline';

// Typed arrays as the pipeline types them (any backing buffer), checked with instanceof.
const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array');
const uint16s = z.custom<Uint16Array>((v) => v instanceof Uint16Array, 'expected a Uint16Array');
const floats = z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array');

const rgbImage = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  data: bytes,
});

const depthMap = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  data: uint16s,
});

const frame = rgbImage.extend({ timestampMs: z.number(), depth: depthMap.optional() });

const stagePolicy = z.enum(['always', 'gated', 'never']);

export const analyseOptions = z.object({
  /** Frames with the same track key share a face tracker (one per camera session). */
  track: z.string().optional(),
  liveness: stagePolicy.optional(),
  embedding: stagePolicy.optional(),
  /** Also return a small RGB copy of the frame this wide (the customer display's preview). */
  previewWidth: z.number().int().min(16).max(640).optional(),
});

const threading = z.object({
  intraOpThreads: z.number().int().min(1).max(16),
  spinning: z.boolean(),
});

export const request = z.discriminatedUnion('type', [
  z.object({
    id: z.number(),
    type: z.literal('init'),
    modelsDir: z.string().optional(),
    threading: threading.optional(),
    /** Where the measured graph optimisation levels are kept (optlevels.ts); none: the table. */
    dataDir: z.string().optional(),
  }),
  z.object({ id: z.number(), type: z.literal('analyse'), frame, options: analyseOptions }),
  z.object({ id: z.number(), type: z.literal('embedFile'), path: z.string() }),
  z.object({ id: z.number(), type: z.literal('embedImage'), image: rgbImage }),
  /** A JPEG file's bytes (an upload, say), decoded in the worker: never on disk. */
  z.object({
    id: z.number(),
    type: z.literal('embedEncoded'),
    bytes,
    name: z.string().max(200).optional(),
  }),
  z.object({ id: z.number(), type: z.literal('resetTrack'), track: z.string() }),
  z.object({ id: z.number(), type: z.literal('memory') }),
  z.object({ id: z.number(), type: z.literal('optLevels') }),
  /** Before terminate: nothing new starts in ORT (see FaceEngine.close). */
  z.object({ id: z.number(), type: z.literal('stop') }),
]);

export type Request = z.infer<typeof request>;
export type AnalyseOptionsMessage = z.infer<typeof analyseOptions>;

const point = z.object({ x: z.number(), y: z.number() });
const box = z.object({ x1: z.number(), y1: z.number(), x2: z.number(), y2: z.number() });
const qualityReason = z.enum([
  'FACE_TOO_SMALL',
  'FACE_TURNED',
  'FACE_TILTED',
  'BLURRY',
  'TOO_DARK',
  'TOO_BRIGHT',
  'EYES_CLOSED',
]);

export const frameAnalysis = z.object({
  width: z.number(),
  height: z.number(),
  faceCount: z.number(),
  comparableFaces: z.number(),
  face: z
    .object({
      box,
      score: z.number(),
      trackId: z.number(),
      points: z.array(point),
      quality: z.object({
        interocularPx: z.number(),
        yaw: z.number(),
        pitch: z.number(),
        roll: z.number(),
        sharpness: z.number(),
        brightness: z.number(),
        clipped: z.number(),
        eyesOpen: z.number(),
      }),
      qualityScore: z.number(),
      refusals: z.array(qualityReason),
      liveScore: z.number().optional(),
      depth: z.object({ reliefMm: z.number(), samples: z.number() }).optional(),
      embedding: floats.optional(),
    })
    .nullable(),
  timings: z.object({
    detectMs: z.number(),
    landmarkMs: z.number(),
    alignMs: z.number(),
    qualityMs: z.number(),
    livenessMs: z.number(),
    embedMs: z.number(),
    totalMs: z.number(),
    modelMs: z.number(),
  }),
});

// The schema and the pipeline's own type must describe the same thing: this fails to compile
// when one changes without the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesPipeline: Same<z.infer<typeof frameAnalysis>, FrameAnalysis> = true;
void schemaMatchesPipeline;

const analysed = z.object({ analysis: frameAnalysis, preview: rgbImage.optional() });
export type Analysed = z.infer<typeof analysed>;

export const memory = z.object({ rss: z.number(), heapUsed: z.number(), external: z.number() });

const optLevel = z.enum(['basic', 'extended', 'all']);
/** Each model's graph optimisation level now, and whether the first-start measurement runs. */
export const optLevels = z.object({
  levels: z.object({
    detect: optLevel,
    landmark: optLevel,
    liveness: optLevel,
    feature: optLevel,
    eye: optLevel,
  }),
  measuring: z.boolean(),
});

export const response = z.discriminatedUnion('ok', [
  z.object({ id: z.number(), ok: z.literal(true), result: z.unknown() }),
  z.object({
    id: z.number(),
    ok: z.literal(false),
    error: z.object({ name: z.string(), message: z.string() }),
  }),
]);

export type Response = z.infer<typeof response>;

/** Per request type, the schema its result must satisfy. */
export const resultSchemas = {
  init: z.object({ ready: z.literal(true) }),
  analyse: analysed,
  embedFile: frameAnalysis,
  embedImage: frameAnalysis,
  embedEncoded: frameAnalysis,
  resetTrack: z.object({ reset: z.boolean() }),
  memory,
  optLevels,
  stop: z.object({ stopped: z.literal(true) }),
} as const;

/**
 * One frame through every stage: detect, follow the main face, landmarks, alignment, quality
 * gates, liveness, embedding. Runs the models in this thread (the worker owns one of these).
 * Inputs are written straight into preallocated tensors; nothing per pixel is allocated.
 */
import * as ort from 'onnxruntime-node';
import {
  ALIGNED_GREY_SPEC,
  ALIGNED_SIZE,
  FEATURE_SPEC,
  alignedSampling,
  alignmentTransform,
} from './align';
import { depthRelief, type DepthRelief } from './depth';
import {
  DETECT_HEIGHT,
  DETECT_SPEC,
  DETECT_WIDTH,
  decodeDetections,
  letterboxAffine,
  letterboxFor,
} from './detect';
import { l2Normalise } from './embedding';
import { EYE_SIZE, EYE_SPEC, OPEN_CLASS, eyeCrops } from './eyes';
import type { DepthMap } from './frame';
import type { Box, Point, RgbImage } from './image';
import {
  LANDMARK_SIZE,
  LANDMARK_SPEC,
  fivePoints,
  landmarkCrop,
  landmarksInFrame,
  recentredCrop,
} from './landmarks';
import { LIVENESS_SIZE, LIVENESS_SPEC, livenessCrop, softmax } from './liveness';
import { DEFAULT_THREADING, loadVerifiedModels, type ModelName, type OrtThreading } from './models';
import {
  GRAPH_OPTIMIZATION,
  createSessions,
  sessionOptions,
  type GraphOptimization,
  type Sessions,
} from './sessions';
import {
  DEFAULT_GATES,
  estimatePose,
  exposure,
  laplacianVariance,
  qualityScore,
  refusals,
  type QualityGates,
  type QualityMeasures,
  type QualityReason,
} from './quality';
import { rectToAffine, sampleToTensor, type Affine } from './sample';
import { MAX_STILL_CANDIDATES, chooseIntended, intentScore } from './still-face';
import { prominence, type FaceTracker, type TrackedFace } from './track';
import type { Detection } from './nms';

/** When to run a costly stage: on every face, only on faces that pass the gates, or never. */
export type StagePolicy = 'always' | 'gated' | 'never';

export interface AnalyseOptions {
  /** Follows the main face across frames; a still image gets a fresh one. */
  tracker?: FaceTracker;
  liveness?: StagePolicy;
  embedding?: StagePolicy;
  gates?: QualityGates;
}

export interface StageTimings {
  detectMs: number;
  landmarkMs: number;
  alignMs: number;
  qualityMs: number;
  livenessMs: number;
  embedMs: number;
  totalMs: number;
  /** Time spent inside ONNX Runtime's run() alone, all models together. */
  modelMs: number;
}

export interface FaceAnalysis {
  box: Box;
  /** The detector's face probability. */
  score: number;
  trackId: number;
  /** Eye centres, nose tip, mouth corners (ArcFace template order) in frame pixels. */
  points: Point[];
  quality: QualityMeasures;
  /** 0-1, see qualityScore: how much this frame should count when fusing embeddings. */
  qualityScore: number;
  /** Why the frame is not good enough; empty when it passes every gate. */
  refusals: QualityReason[];
  /** fr_liveness's live probability for this frame, when liveness ran. */
  liveScore?: number;
  /** Relief of the face over its best-fit plane, when the frame carried depth. */
  depth?: DepthRelief;
  /** L2-normalised 512-d embedding, when the embedding stage ran. */
  embedding?: Float32Array;
}

export interface FrameAnalysis {
  width: number;
  height: number;
  /** How many faces the detector saw (after suppression of duplicates). */
  faceCount: number;
  /**
   * A still photo (no tracker): how many other faces are comparable to the one chosen (as
   * large, central, sharp and frontal, see still-face.ts): above 0, the photo is ambiguous.
   * Always 0 for a camera frame, where the tracker decides.
   */
  comparableFaces: number;
  face: FaceAnalysis | null;
  timings: StageTimings;
}

export interface PipelineOptions {
  modelsDir?: string;
  threading?: OrtThreading;
}

type Input = { data: Float32Array; tensor: ort.Tensor };

/** What measuring one face gives: its points, quality and the map that aligns it. */
interface MeasuredFace {
  points: Point[];
  quality: QualityMeasures;
  sampling: Affine;
}

function input(dims: number[]): Input {
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  return { data, tensor: new ort.Tensor('float32', data, dims) };
}

export class FacePipeline {
  private readonly detectIn = input([1, 3, DETECT_HEIGHT, DETECT_WIDTH]);
  private readonly landmarkIn = input([1, 1, LANDMARK_SIZE, LANDMARK_SIZE]);
  private readonly featureIn = input([1, 3, ALIGNED_SIZE, ALIGNED_SIZE]);
  private readonly livenessIn = input([1, 3, LIVENESS_SIZE, LIVENESS_SIZE]);
  private readonly eyeIn = input([1, 1, EYE_SIZE, EYE_SIZE]);
  private readonly alignedGrey = new Float32Array(ALIGNED_SIZE * ALIGNED_SIZE);
  private modelMs = 0;

  private constructor(
    private readonly sessions: Sessions,
    private readonly threading: OrtThreading,
    private readonly levels: Record<ModelName, GraphOptimization>,
  ) {}

  /** Verifies the model files (clear error if missing or wrong) and loads them. */
  static async load(options: PipelineOptions = {}): Promise<FacePipeline> {
    const models = await loadVerifiedModels(options.modelsDir);
    return FacePipeline.fromModels(models, options.threading ?? DEFAULT_THREADING);
  }

  /** From verified model bytes, each model at the given graph optimisation level. */
  static async fromModels(
    models: Record<ModelName, Uint8Array>,
    threading: OrtThreading = DEFAULT_THREADING,
    levels: Record<ModelName, GraphOptimization> = GRAPH_OPTIMIZATION,
  ): Promise<FacePipeline> {
    const sessions = await createSessions(models, threading, levels);
    return new FacePipeline(sessions, threading, { ...levels });
  }

  /** Each model's graph optimisation level now. */
  optLevels(): Record<ModelName, GraphOptimization> {
    return { ...this.levels };
  }

  /**
   * Moves the models whose level differs to the measured one: a new session replaces the old,
   * which is released. The caller runs this between frames (the worker's queue), never during one.
   */
  async useOptLevels(
    models: Record<ModelName, Uint8Array>,
    levels: Record<ModelName, GraphOptimization>,
  ): Promise<ModelName[]> {
    const changed = (Object.keys(levels) as ModelName[]).filter(
      (name) => levels[name] !== this.levels[name],
    );
    for (const name of changed) {
      const next = await ort.InferenceSession.create(
        models[name],
        sessionOptions(this.threading, levels[name]),
      );
      const old = this.sessions[name];
      this.sessions[name] = next;
      this.levels[name] = levels[name];
      await old.release();
    }
    return changed;
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.sessions).map((s) => s.release()));
  }

  /** Runs one model on its prepared input; the only place inference happens. */
  private async run(model: ModelName, inputTensor: ort.Tensor): Promise<Float32Array> {
    const session = this.sessions[model];
    const started = performance.now();
    const out = await session.run({ [session.inputNames[0] as string]: inputTensor });
    this.modelMs += performance.now() - started;
    return out[session.outputNames[0] as string]?.data as Float32Array;
  }

  /** The detector alone: every face in the frame, best first. */
  async detect(frame: RgbImage): Promise<ReturnType<typeof decodeDetections>> {
    const lb = letterboxFor(frame.width, frame.height);
    sampleToTensor(frame, letterboxAffine(lb), DETECT_SPEC, this.detectIn.data);
    const session = this.sessions.detect;
    const started = performance.now();
    const out = await session.run({ input: this.detectIn.tensor });
    this.modelMs += performance.now() - started;
    const scores = out.scores?.data as Float32Array;
    const boxes = out.boxes?.data as Float32Array;
    return decodeDetections(scores, boxes, lb, frame);
  }

  /** 68 landmarks (frame pixels, x/y interleaved) of the face in `box`, in two passes. */
  async landmarks(frame: RgbImage, box: Box): Promise<Float32Array> {
    const first = await this.landmarksIn(frame, landmarkCrop(box));
    return this.landmarksIn(frame, recentredCrop(first, landmarkCrop(box)));
  }

  private async landmarksIn(frame: RgbImage, crop: Box): Promise<Float32Array> {
    sampleToTensor(
      frame,
      rectToAffine(crop, LANDMARK_SIZE, LANDMARK_SIZE),
      LANDMARK_SPEC,
      this.landmarkIn.data,
    );
    return landmarksInFrame(await this.run('landmark', this.landmarkIn.tensor), crop);
  }

  /** The open probability of the more open eye (see eyes.ts for why not the less open one). */
  private async eyesOpen(frame: RgbImage, points68: Float32Array): Promise<number> {
    let most = 0;
    for (const crop of eyeCrops(points68)) {
      sampleToTensor(frame, rectToAffine(crop, EYE_SIZE, EYE_SIZE), EYE_SPEC, this.eyeIn.data);
      const p = softmax(await this.run('eye', this.eyeIn.tensor));
      most = Math.max(most, p[OPEN_CLASS] as number);
    }
    return most;
  }

  /** fr_liveness's live probability (class 0) for the face in `box`. */
  async liveScore(frame: RgbImage, box: Box, cropScale?: number): Promise<number> {
    const crop = livenessCrop(box, frame.width, frame.height, cropScale);
    sampleToTensor(
      frame,
      rectToAffine(crop, LIVENESS_SIZE, LIVENESS_SIZE),
      LIVENESS_SPEC,
      this.livenessIn.data,
    );
    return softmax(await this.run('liveness', this.livenessIn.tensor))[0] as number;
  }

  /**
   * Landmarks, alignment and quality of the face in `box`; leaves its aligned input in the
   * embedding tensor. Adds to the landmark, align and quality timings.
   */
  private async measureFace(
    frame: RgbImage,
    box: Box,
    timings: StageTimings,
  ): Promise<MeasuredFace> {
    const t1 = performance.now();
    const points68 = await this.landmarks(frame, box);
    const points = fivePoints(points68);
    const t2 = performance.now();
    timings.landmarkMs += t2 - t1;

    const sampling = alignedSampling(alignmentTransform(points));
    sampleToTensor(frame, sampling, FEATURE_SPEC, this.featureIn.data);
    sampleToTensor(frame, sampling, ALIGNED_GREY_SPEC, this.alignedGrey);
    const t3 = performance.now();
    timings.alignMs += t3 - t2;

    const pose = estimatePose(points);
    const quality: QualityMeasures = {
      interocularPx: Math.hypot(
        (points[1] as Point).x - (points[0] as Point).x,
        (points[1] as Point).y - (points[0] as Point).y,
      ),
      ...pose,
      sharpness: laplacianVariance(this.alignedGrey, ALIGNED_SIZE, ALIGNED_SIZE),
      ...exposure(this.alignedGrey, ALIGNED_SIZE),
      eyesOpen: await this.eyesOpen(frame, points68),
    };
    timings.qualityMs += performance.now() - t3;
    return { points, quality, sampling };
  }

  /** Everything about the main face of one frame. */
  async analyse(
    frame: RgbImage & { depth?: DepthMap },
    options: AnalyseOptions = {},
  ): Promise<FrameAnalysis> {
    const t0 = performance.now();
    this.modelMs = 0;
    const timings: StageTimings = {
      detectMs: 0,
      landmarkMs: 0,
      alignMs: 0,
      qualityMs: 0,
      livenessMs: 0,
      embedMs: 0,
      totalMs: 0,
      modelMs: 0,
    };
    const finish = (
      faceCount: number,
      comparableFaces: number,
      face: FaceAnalysis | null,
    ): FrameAnalysis => {
      timings.totalMs = performance.now() - t0;
      timings.modelMs = this.modelMs;
      return {
        width: frame.width,
        height: frame.height,
        faceCount,
        comparableFaces,
        face,
        timings,
      };
    };

    const detections = await this.detect(frame);
    const gates = options.gates ?? DEFAULT_GATES;
    timings.detectMs = performance.now() - t0;

    // A camera frame: the tracker says which face (the one followed so far). A still photo:
    // the face it means (still-face.ts), judged on every prominent face's measurements.
    let main: TrackedFace | null;
    let measured: MeasuredFace | null = null;
    let comparableFaces = 0;
    if (options.tracker !== undefined) {
      main = options.tracker.update(detections, frame.width, frame.height);
      if (main !== null) measured = await this.measureFace(frame, main.box, timings);
    } else {
      const candidates: (MeasuredFace & { detection: Detection; intent: number })[] = [];
      const prominent = [...detections]
        .sort(
          (a, b) =>
            prominence(b.box, frame.width, frame.height) -
            prominence(a.box, frame.width, frame.height),
        )
        .slice(0, MAX_STILL_CANDIDATES);
      for (const detection of prominent) {
        const m = await this.measureFace(frame, detection.box, timings);
        const intent = intentScore(detection.box, m.quality, frame.width, frame.height, gates);
        candidates.push({ ...m, detection, intent });
      }
      const intended = chooseIntended(candidates);
      main = intended && { ...intended.chosen.detection, trackId: 1 };
      measured = intended?.chosen ?? null;
      comparableFaces = intended?.comparable ?? 0;
      // The aligned input of the last face measured is in the tensor: put the chosen one's back.
      if (measured !== null && measured !== candidates[candidates.length - 1])
        sampleToTensor(frame, measured.sampling, FEATURE_SPEC, this.featureIn.data);
    }
    if (main === null || measured === null) return finish(detections.length, 0, null);
    const { points, quality } = measured;
    const face: FaceAnalysis = {
      box: main.box,
      score: main.score,
      trackId: main.trackId,
      points,
      quality,
      qualityScore: qualityScore(quality, gates),
      refusals: refusals(quality, gates),
    };
    const t4 = performance.now();
    if (frame.depth !== undefined)
      face.depth = depthRelief(frame.depth, main.box, frame.width, frame.height);
    timings.qualityMs += performance.now() - t4;
    const t4b = performance.now();

    const wanted = (policy: StagePolicy | undefined): boolean =>
      policy === 'always' || (policy === 'gated' && face.refusals.length === 0);
    if (wanted(options.liveness ?? 'always'))
      face.liveScore = await this.liveScore(frame, main.box);
    const t5 = performance.now();
    timings.livenessMs = t5 - t4b;

    if (wanted(options.embedding ?? 'always')) {
      face.embedding = l2Normalise(
        Float32Array.from(await this.run('feature', this.featureIn.tensor)),
      );
    }
    timings.embedMs = performance.now() - t5;
    return finish(detections.length, comparableFaces, face);
  }
}

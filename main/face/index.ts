/**
 * The face pipeline's public API (see README.md in this folder). Everything else in main/face
 * is an implementation detail of these.
 */
export {
  FaceEngine,
  FaceEngineError,
  type FaceEngineOptions,
  type ProcessFrameOptions,
} from './engine';
export {
  runFaceSession,
  type FaceSession,
  type FaceSessionEvent,
  type FaceSessionOptions,
  type SessionOutcome,
} from './face-session';
export {
  DEFAULT_SESSION_CONFIG,
  MESSAGES,
  type FailureCode,
  type HintCode,
  type RelativeBox,
  type SessionConfig,
  type SessionState,
} from './session';
export type { DepthMap, Frame, FrameSource } from './frame';
export type { Box, Point, RgbImage } from './image';
export { Y4mError, Y4mFileSource, type Y4mSourceOptions } from './y4m';
export {
  ImageDecodeError,
  ImageSequenceSource,
  decodeImage,
  readImageFile,
  type ImageSourceOptions,
} from './image-file';
export {
  PushFrameError,
  PushFrameSource,
  encodeWireFrame,
  type PushSourceOptions,
  type PushedFrame,
} from './push-source';
export { Gallery, type Match } from './gallery';
export {
  THRESHOLDS,
  thresholdFor,
  verify,
  type FarThreshold,
  type Verification,
} from './thresholds';
export { cosineSimilarity, fuseEmbeddings } from './embedding';
export { FaceModelError } from './models';
export type { FaceAnalysis, FrameAnalysis, StageTimings } from './pipeline';
export type { QualityMeasures, QualityReason } from './quality';

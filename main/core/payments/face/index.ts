export { startFaceBackend } from './engine';
export { facePayHandlers, type FacePayChannel } from './handlers';
export * from './ports';
export { FAILURE_MESSAGES } from './attempt';
export { FacePayService, isFacePayEvent, type FacePayOptions } from './service';

/** The real face backend: the FaceEngine worker (models verified and loaded) and its sessions. */
import { FaceEngine, runFaceSession } from '../../face';
import type { FaceBackend } from './ports';

export async function startFaceBackend(): Promise<FaceBackend> {
  const engine = await FaceEngine.start();
  return {
    startSession: (source, options) => runFaceSession(engine, source, options),
    close: () => engine.close(),
  };
}

/** The real face backend: the FaceEngine worker (models verified and loaded) and its sessions. */
import { FaceEngine, runFaceSession } from '../../../face';
import type { FaceBackend } from './ports';

/** `dataDir`: where the face worker keeps what it measured on this machine (optlevels). */
export async function startFaceBackend(options: { dataDir?: string } = {}): Promise<FaceBackend> {
  const engine = await FaceEngine.start({ dataDir: options.dataDir });
  return {
    startSession: (source, options) => runFaceSession(engine, source, options),
    close: () => engine.close(),
  };
}

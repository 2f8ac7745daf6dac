/**
 * Enrolment from photos uploaded to the admin endpoint: each JPEG is embedded here, in the
 * cloud's process, by the terminal's own face pipeline (main/face, in its worker thread: decoding
 * included), and dropped as soon as its embedding is back. Only the template is stored; the
 * photos never touch the disk, the database or a log line.
 *
 * The engine starts with the first upload (a service that never enrols from photos never loads
 * ONNX Runtime: hence the import on demand) and serves later ones; close() ends it.
 */
import type { FaceEngine } from '../../main/face';
import { CloudError } from '../errors';

export interface PhotoEmbedder {
  /** One embedding per photo, in order; a photo without exactly one usable face is refused. */
  embed(photos: readonly Uint8Array[], field: string): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** Why a photo cannot be enrolled, for the back office (no image content in it). */
function refusal(field: string, message: string): CloudError {
  return new CloudError('VALIDATION', `${field}: ${message}`, field);
}

export function facePhotoEmbedder(
  start: () => Promise<FaceEngine> = async () =>
    (await import('../../main/face/engine')).FaceEngine.start(),
): PhotoEmbedder {
  let engine: Promise<FaceEngine> | null = null;
  const ready = (): Promise<FaceEngine> => {
    engine ??= start().catch((error: unknown) => {
      engine = null; // try again on the next upload (the models may have been fetched since)
      throw error;
    });
    return engine;
  };
  return {
    async embed(photos, field) {
      let face: FaceEngine;
      try {
        face = await ready();
      } catch (error) {
        throw new CloudError(
          'UNAVAILABLE',
          `the face models could not be loaded here: ${(error as Error).message.slice(0, 200)}`,
        );
      }
      const out: Float32Array[] = [];
      for (const [i, photo] of photos.entries()) {
        const at = `${field}.${i}`;
        let analysis;
        try {
          analysis = await face.embedEncoded(photo);
        } catch (error) {
          if ((error as Error).name === 'ImageDecodeError') {
            throw refusal(at, 'not a JPEG photo that can be read');
          }
          throw error;
        }
        if (analysis.faceCount > 1) throw refusal(at, 'more than one face: crop to the payer');
        const embedding = analysis.face?.embedding;
        if (embedding === undefined) {
          const why = analysis.face?.refusals.join(', ');
          throw refusal(at, `no usable face${why ? ` (${why})` : ''}`);
        }
        out.push(embedding);
      }
      return out;
    },
    async close() {
      const running = engine;
      engine = null;
      if (running !== null) await (await running.catch(() => null))?.close();
    },
  };
}

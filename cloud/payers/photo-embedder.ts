/**
 * Enrolment from photos uploaded to the admin endpoint: each photo (JPEG, PNG, WebP or AVIF) is
 * embedded here, in the cloud's process, by the terminal's own face pipeline (main/face, in its
 * worker thread: decoding included), and dropped as soon as its embedding is back. Only the
 * template is stored; the photos never touch the disk, the database or a log line.
 *
 * Each photo is judged on its own (ENROLMENT_RULE below): a bad photo is refused with its
 * reason and the others still enrol, so one group photo no longer sinks a whole enrolment.
 *
 * The engine starts with the first upload (a service that never enrols from photos never loads
 * ONNX Runtime: hence the import on demand) and serves later ones; close() ends it.
 */
import type { FaceEngine } from '../../main/face';
import type { FrameAnalysis } from '../../main/face/pipeline';
import { thresholdFor } from '../../main/face/thresholds';
import { CloudError } from '../errors';

/** One photo left out of an enrolment, and why (no image content in it). */
export interface PhotoRefusal {
  field: string;
  message: string;
}

export interface PhotoEmbeddings {
  /** The embeddings of the photos kept, in upload order. */
  embeddings: Float32Array[];
  refused: PhotoRefusal[];
}

export interface PhotoEmbedder {
  /**
   * The embeddings of the good photos and the reasons for the others (see ENROLMENT_RULE);
   * throws a VALIDATION CloudError, naming the first bad photo and listing every reason, when
   * too few good ones remain.
   */
  embed(photos: readonly Uint8Array[], field: string): Promise<PhotoEmbeddings>;
  close(): Promise<void>;
}

/**
 * The rule, photo by photo, then for the set:
 * - a photo is refused when it cannot be decoded or shows no face, or two comparable faces
 *   (still-face.ts: which one is the payer?);
 * - with several good photos, one that matches none of the others (cosine below the FAR 1e-3
 *   threshold) is refused too: a stranger's photo in the batch would let that stranger pay;
 * - the enrolment goes ahead when at least one photo is kept and the kept ones are at least
 *   half of those sent: a batch mostly refused is more likely the wrong batch than bad luck,
 *   and the back office should look at it rather than enrol from its remains.
 */
export const ENROLMENT_RULE = { minKept: 1, minKeptShare: 0.5, agreementFar: 1e-3 } as const;

/** Why a photo's analysis cannot be enrolled, or null when it can. */
export function photoProblem(analysis: FrameAnalysis): string | null {
  if (analysis.face === null) return 'no face found';
  if (analysis.comparableFaces > 0)
    return 'two faces of comparable size and sharpness: crop the photo to the payer';
  // The quality gates (turned, squinting...) are the camera's, which can wait for a better
  // frame; a photo is what it is, and LFW-like photos enrol well although a fifth fail a gate.
  if (analysis.face.embedding === undefined) return 'no usable face';
  return null;
}

/** Applies ENROLMENT_RULE to photos already judged one by one. */
export function keepConsistent(
  judged: readonly ({ field: string } & ({ embedding: Float32Array } | { problem: string }))[],
): PhotoEmbeddings {
  const refused: PhotoRefusal[] = [];
  const good: { field: string; embedding: Float32Array }[] = [];
  for (const j of judged) {
    if ('problem' in j) refused.push({ field: j.field, message: j.problem });
    else good.push(j);
  }
  const threshold = thresholdFor(ENROLMENT_RULE.agreementFar).threshold;
  const kept =
    good.length < 2
      ? good
      : good.filter((a) =>
          good.some((b) => b !== a && cosine(a.embedding, b.embedding) >= threshold),
        );
  for (const g of good) {
    if (!kept.includes(g))
      refused.push({ field: g.field, message: 'the face does not match the other photos' });
  }
  refused.sort(
    (a, b) =>
      judged.findIndex((j) => j.field === a.field) - judged.findIndex((j) => j.field === b.field),
  );
  const enough =
    kept.length >= ENROLMENT_RULE.minKept &&
    kept.length >= ENROLMENT_RULE.minKeptShare * judged.length;
  if (!enough) {
    const first = refused[0] as PhotoRefusal;
    const all = refused.map((r) => `${r.field}: ${r.message}`).join('; ');
    throw new CloudError(
      'VALIDATION',
      `${all} (${kept.length} of ${judged.length} photos usable; at least half are needed)`,
      first.field,
    );
  }
  return { embeddings: kept.map((k) => k.embedding), refused };
}

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
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
      const judged: ({ field: string } & ({ embedding: Float32Array } | { problem: string }))[] =
        [];
      for (const [i, photo] of photos.entries()) {
        const at = `${field}.${i}`;
        let analysis: FrameAnalysis;
        try {
          analysis = await face.embedEncoded(photo, at);
        } catch (error) {
          if ((error as Error).name !== 'ImageDecodeError') throw error;
          // The decoder's message starts with the field and says what is wrong with the file.
          judged.push({ field: at, problem: (error as Error).message.slice(at.length + 2) });
          continue;
        }
        const problem = photoProblem(analysis);
        const embedding = analysis.face?.embedding;
        if (problem === null && embedding !== undefined) judged.push({ field: at, embedding });
        else judged.push({ field: at, problem: problem ?? 'no usable face' });
      }
      return keepConsistent(judged);
    },
    async close() {
      const running = engine;
      engine = null;
      if (running !== null) await (await running.catch(() => null))?.close();
    },
  };
}

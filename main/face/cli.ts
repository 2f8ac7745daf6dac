/**
 * The face pipeline from the command line (`npm run -s face -- COMMAND ...`). JSON lines on
 * stdout, one per result; human notes on stderr. No image is written anywhere.
 *
 *   embed FILE...                     one line per file: box, quality, liveness, embedding
 *   compare A B [--far F]             similarity and match at the calibrated threshold
 *   session CLIP.y4m [--enrol IMG...] [--paced]
 *                                     a camera session on a clip: its events and outcome, and
 *                                     with --enrol, who it identifies (identity = image folder)
 */
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FaceEngine } from './engine';
import { runFaceSession, type FaceSessionEvent } from './face-session';
import { Gallery } from './gallery';
import type { FrameAnalysis } from './pipeline';
import { DEFAULT_SESSION_CONFIG } from './session';
import { THRESHOLDS, thresholdFor, verify } from './thresholds';
import { Y4mFileSource } from './y4m';

const USAGE = `usage: npm run -s face -- embed FILE...
       npm run -s face -- compare A B [--far 0.001|0.0001|0.00001]
       npm run -s face -- session CLIP.y4m [--enrol IMG...] [--paced]`;

function line(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

/** One `embed` result line. */
function describe(file: string, analysis: FrameAnalysis): Record<string, unknown> {
  const face = analysis.face;
  if (face === null || face.embedding === undefined)
    return { file, ok: false, error: 'no face found' };
  const score = face.liveScore ?? 0;
  return {
    file,
    ok: true,
    box: {
      x1: round(face.box.x1, 1),
      y1: round(face.box.y1, 1),
      x2: round(face.box.x2, 1),
      y2: round(face.box.y2, 1),
    },
    quality: {
      ...Object.fromEntries(Object.entries(face.quality).map(([k, v]) => [k, round(v, 3)])),
      score: round(face.qualityScore, 3),
      refusals: face.refusals,
    },
    liveness: { score: round(score), live: score >= DEFAULT_SESSION_CONFIG.liveThreshold },
    embedding: Array.from(face.embedding, (v) => round(v, 6)),
  };
}

async function embed(engine: FaceEngine, files: string[]): Promise<number> {
  let failed = 0;
  for (const file of files) {
    try {
      const result = describe(file, await engine.embedFile(resolve(file)));
      if (!result.ok) failed += 1;
      line(result);
    } catch (err) {
      failed += 1;
      line({ file, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return failed === 0 ? 0 : 1;
}

async function embeddingOf(engine: FaceEngine, file: string): Promise<Float32Array> {
  const analysis = await engine.embedFile(resolve(file));
  const embedding = analysis.face?.embedding;
  if (embedding === undefined) throw new Error(`${file}: no face found`);
  return embedding;
}

async function compare(engine: FaceEngine, args: string[]): Promise<number> {
  const farAt = args.indexOf('--far');
  const far = farAt >= 0 ? Number(args[farAt + 1]) : THRESHOLDS.defaultFar;
  const files = farAt >= 0 ? args.filter((_, i) => i !== farAt && i !== farAt + 1) : args;
  if (files.length !== 2) throw new UsageError('compare takes two image files');
  thresholdFor(far); // fail early on an uncalibrated target
  const [a, b] = await Promise.all(files.map((f) => embeddingOf(engine, f)));
  const v = verify(a as Float32Array, b as Float32Array, far);
  line({ similarity: round(v.similarity), match: v.match, threshold: v.threshold, far: v.far });
  return 0;
}

/** A session event as a line: no preview pixels, no embedding values. */
function eventLine(event: FaceSessionEvent): Record<string, unknown> {
  if (event.type === 'frame') {
    const { preview, ...rest } = event;
    return {
      ...rest,
      atMs: round(rest.atMs, 1),
      preview: preview ? `${preview.width}x${preview.height} rgb` : undefined,
    };
  }
  if (event.type === 'ready') {
    const { embedding, ...rest } = event;
    return { ...rest, atMs: round(rest.atMs, 1), embedding: `${embedding.length} values` };
  }
  return { ...event, atMs: round(event.atMs, 1) };
}

async function session(engine: FaceEngine, args: string[]): Promise<number> {
  const enrolAt = args.indexOf('--enrol');
  const paced = args.includes('--paced');
  const clip = args[0];
  if (clip === undefined || clip.startsWith('--'))
    throw new UsageError('session needs a .y4m clip');
  const enrol = enrolAt >= 0 ? args.slice(enrolAt + 1).filter((a) => !a.startsWith('--')) : [];

  const gallery = new Gallery();
  for (const file of enrol) {
    // The identity is the image's folder name (lfw/Name/Name_0001.jpg enrols "Name").
    gallery.add(basename(dirname(resolve(file))), await embeddingOf(engine, file));
  }
  const source = new Y4mFileSource(resolve(clip), { paced });
  process.stderr.write(
    `session on ${source.description}${enrol.length ? `, ${enrol.length} images enrolled` : ''}\n`,
  );
  try {
    const outcome = await runFaceSession(engine, source, { onEvent: (e) => line(eventLine(e)) })
      .result;
    if (outcome.status === 'failed') {
      line({ outcome: { ...outcome, elapsedMs: round(outcome.elapsedMs, 1) } });
      return 1;
    }
    const { embedding, ...rest } = outcome;
    line({
      outcome: {
        ...rest,
        elapsedMs: round(rest.elapsedMs, 1),
        embedding: `${embedding.length} values`,
      },
    });
    if (gallery.size > 0) {
      const { threshold, far } = thresholdFor(THRESHOLDS.identifyFar);
      const candidates = gallery
        .identify(embedding, 3)
        .map((m) => ({ id: m.id, similarity: round(m.similarity) }));
      const best = candidates[0];
      const match = best !== undefined && best.similarity >= threshold ? best : null;
      line({ identification: { match, threshold, far, candidates } });
    }
    return 0;
  } finally {
    source.close();
  }
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || !['embed', 'compare', 'session'].includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (command === 'embed' && args.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const engine = await FaceEngine.start();
  try {
    if (command === 'embed') return await embed(engine, args);
    if (command === 'compare') return await compare(engine, args);
    return await session(engine, args);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    line({ error: err instanceof Error ? err.message : String(err) });
    return 1;
  } finally {
    await engine.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

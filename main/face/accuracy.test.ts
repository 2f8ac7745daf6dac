/**
 * Recognition accuracy on the DEV set with the real models, end to end (detect, landmarks,
 * alignment, embedding). The floors sit below what this pipeline measures and above what a
 * broken one does (measured on this set): a naive box crop instead of the similarity alignment
 * reaches AUC 0.969 and 1:N 62 %; feeding fr_feature RGB instead of BGR reaches 1:N 96.3 %,
 * TAR 91.9 % at FAR 1e-4 and 98.5 % pair accuracy. The reference pipeline: AUC 0.997,
 * 99.2 % pair accuracy, 1:N 98.4 %.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { calibrate, embedDevImages } from './calibrate';
import {
  accuracyAt,
  allVsAll,
  rateAtOrAbove,
  rocAuc,
  thresholdForFar,
  type ScoreSets,
} from './calibration';
import { cosineSimilarity } from './embedding';
import { Gallery } from './gallery';
import { FacePipeline } from './pipeline';
import { THRESHOLDS, thresholdFor } from './thresholds';
import { FACES, devSetForTests } from './test-faces';

const dev = devSetForTests();
let embeddings: Map<string, Float32Array | null>;
let scores: ScoreSets;
let pairs: { similarity: number; same: boolean }[];
const ambiguous: string[] = [];

before(async () => {
  if (FACES.skip !== false) return;
  // Embedding the 1,491 photos once is most of this file's run time.
  const pipeline = await FacePipeline.load();
  embeddings = await embedDevImages(pipeline, dev, ambiguous);
  await pipeline.close();
  scores = allVsAll(
    dev.images.map(({ file, identity }) => ({ identity, embedding: embeddings.get(file) ?? null })),
  );
  pairs = dev.pairs.map((p) => {
    const a = embeddings.get(p.a);
    const b = embeddings.get(p.b);
    return { similarity: a && b ? cosineSimilarity(a, b) : -1, same: p.same };
  });
});
after(() => embeddings?.clear());

test('a face is found in every DEV photo', { skip: FACES.skip }, () => {
  const missing = [...embeddings].filter(([, e]) => e === null).map(([f]) => f);
  assert.deepEqual(missing, []);
});

test(
  'no DEV photo is taken for ambiguous: each shows one intended person, others behind',
  { skip: FACES.skip },
  (t) => {
    // LFW photos often show other people at the edges or behind; none of them is comparable to
    // the subject (as large, central, sharp, frontal), so enrolment would refuse none of these.
    t.diagnostic(
      `${ambiguous.length} of ${dev.images.length} photos ambiguous: ${ambiguous.join(', ')}`,
    );
    assert.ok(ambiguous.length <= 2, `${ambiguous.length} DEV photos taken for two-face photos`);
  },
);

test(
  'verification pairs: ROC AUC and accuracy at the calibrated thresholds',
  { skip: FACES.skip },
  (t) => {
    const auc = rocAuc(
      pairs.filter((p) => p.same).map((p) => p.similarity),
      pairs.filter((p) => !p.same).map((p) => p.similarity),
    );
    const best = accuracyAt(pairs, THRESHOLDS.bestAccuracy.threshold);
    const atFar3 = accuracyAt(pairs, thresholdFor(1e-3).threshold);
    t.diagnostic(
      `AUC ${auc.toFixed(4)}, accuracy ${best.toFixed(4)} at ${THRESHOLDS.bestAccuracy.threshold}, ${atFar3.toFixed(4)} at FAR 1e-3`,
    );
    assert.ok(auc >= 0.993, `AUC ${auc}`);
    assert.ok(best >= 0.988, `accuracy ${best}`);
    assert.ok(atFar3 >= 0.98, `accuracy at FAR 1e-3 threshold ${atFar3}`);
  },
);

test(
  'all-vs-all: TAR at the calibrated FAR thresholds, and those FARs hold',
  { skip: FACES.skip },
  (t) => {
    const at = (far: number): { tar: number; far: number } => {
      const { threshold } = thresholdFor(far);
      return {
        tar: rateAtOrAbove(scores.genuine, threshold),
        far: rateAtOrAbove(scores.impostor, threshold),
      };
    };
    const [f3, f4, f5] = [at(1e-3), at(1e-4), at(1e-5)];
    t.diagnostic(
      `${scores.genuine.length} genuine, ${scores.impostor.length} impostor pairs; ` +
        `TAR ${f3.tar.toFixed(4)} @1e-3, ${f4.tar.toFixed(4)} @1e-4, ${f5.tar.toFixed(4)} @1e-5`,
    );
    assert.ok(f3.tar >= 0.965, `TAR at FAR 1e-3: ${f3.tar}`);
    assert.ok(f4.tar >= 0.94, `TAR at FAR 1e-4: ${f4.tar}`);
    assert.ok(f3.far <= 1e-3 && f4.far <= 1e-4 && f5.far <= 1e-5, 'the thresholds hold their FAR');
  },
);

test(
  '1:N: one gallery photo per identity, every other photo identified',
  { skip: FACES.skip },
  (t) => {
    const gallery = new Gallery();
    const identityOf = new Map(dev.images.map((i) => [i.file, i.identity]));
    for (const file of dev.gallery) {
      const e = embeddings.get(file);
      if (e) gallery.add(identityOf.get(file) as string, e);
    }
    let right = 0;
    for (const file of dev.probes) {
      const e = embeddings.get(file);
      if (e && gallery.identify(e, 1)[0]?.id === identityOf.get(file)) right += 1;
    }
    const top1 = right / dev.probes.length;
    t.diagnostic(
      `top-1 ${right} of ${dev.probes.length} = ${top1.toFixed(4)} (gallery ${gallery.size})`,
    );
    assert.ok(top1 >= 0.973, `1:N top-1 ${top1}`);
  },
);

test(
  'the committed thresholds are what calibrating this pipeline gives',
  { skip: FACES.skip },
  () => {
    const fresh = calibrate(dev, embeddings);
    for (const v of fresh.verify) {
      const stored = thresholdFor(v.far).threshold;
      const tolerance = v.far >= 1e-4 ? 0.003 : 0.01;
      assert.ok(
        Math.abs(stored - v.threshold) <= tolerance,
        `FAR ${v.far}: stored ${stored}, now ${v.threshold}; rerun node --import tsx main/face/calibrate.ts`,
      );
    }
  },
);

test(
  'thresholds hold on people they were not chosen on: calibrate on one fold, check the other',
  { skip: FACES.skip },
  (t) => {
    // LFW View-2 folds share no identity. A threshold chosen on fold 4's all-vs-all pairs and
    // measured on fold 5's (and the other way round) shows whether the FAR targets generalise to
    // strangers, which a threshold checked on its own calibration data cannot.
    const foldOf = new Map<string, number>();
    for (const p of dev.pairs) {
      foldOf.set(p.a, p.fold);
      foldOf.set(p.b, p.fold);
    }
    const folds = [...new Set(foldOf.values())].sort();
    assert.equal(folds.length, 2, 'two folds');
    const scoresOf = (fold: number): ScoreSets =>
      allVsAll(
        dev.images
          .filter((i) => foldOf.get(i.file) === fold)
          .map(({ file, identity }) => ({ identity, embedding: embeddings.get(file) ?? null })),
      );
    const [a, b] = folds.map(scoresOf) as [ScoreSets, ScoreSets];
    for (const [chosenOn, checkedOn, label] of [
      [a, b, `${folds[0]}→${folds[1]}`],
      [b, a, `${folds[1]}→${folds[0]}`],
    ] as const) {
      for (const far of [1e-3, 1e-4]) {
        const threshold = thresholdForFar(chosenOn.impostor, far);
        const heldOutFar = rateAtOrAbove(checkedOn.impostor, threshold);
        const heldOutTar = rateAtOrAbove(checkedOn.genuine, threshold);
        t.diagnostic(
          `folds ${label}, target FAR ${far}: threshold ${threshold}, held-out FAR ` +
            `${heldOutFar.toExponential(2)} (${checkedOn.impostor.length} impostor pairs), TAR ${heldOutTar.toFixed(4)}`,
        );
        // Within 2x of the target on strangers (measured 0.92x to 1.09x; at 1e-4 that is a few
        // dozen pairs, so noisy).
        assert.ok(heldOutFar <= 2 * far, `held-out FAR ${heldOutFar} for target ${far} (${label})`);
        assert.ok(heldOutTar >= 0.93, `held-out TAR ${heldOutTar} at target ${far} (${label})`);
      }
    }
  },
);

import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FaceEngine } from './engine';
import { FaceModelError, MODEL_FILES, defaultModelsDir, loadVerifiedModels } from './models';
import { FacePipeline } from './pipeline';

const dir = mkdtempSync(join(tmpdir(), 'face-models-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the installed models are all present and match their pinned SHA-256', async () => {
  const models = await loadVerifiedModels();
  assert.deepEqual(Object.keys(models).sort(), Object.keys(MODEL_FILES).sort());
});

test('a missing or altered model is named, with the command that fixes it', async () => {
  for (const file of Object.values(MODEL_FILES))
    copyFileSync(join(defaultModelsDir(), file), join(dir, file));
  rmSync(join(dir, 'fr_eye.onnx'));
  writeFileSync(join(dir, 'fr_liveness.onnx'), 'not the model');
  await assert.rejects(loadVerifiedModels(dir), (e: Error) => {
    assert.ok(e instanceof FaceModelError);
    assert.match(e.message, /fr_eye\.onnx is missing/);
    assert.match(e.message, /fr_liveness\.onnx has SHA-256 [0-9a-f]{64}, expected afa783b7/);
    assert.match(e.message, /run `node scripts\/fetch-models\.mjs` \(or `npm install`\)/);
    assert.doesNotMatch(e.message, /fr_detect/);
    return true;
  });
  // The pipeline and the engine refuse to start the same way.
  await assert.rejects(FacePipeline.load({ modelsDir: dir }), /fr_eye\.onnx is missing/);
  await assert.rejects(
    FaceEngine.start({ modelsDir: dir }),
    (e: Error) => e.name === 'FaceModelError' && /fr_eye\.onnx is missing/.test(e.message),
  );
});

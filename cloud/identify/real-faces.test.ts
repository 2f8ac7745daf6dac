/**
 * Identification with real embeddings from the terminal's face pipeline (main/face) on the shared
 * LFW set, including enrolment through the CLI's --images path. Skipped where the models or the
 * face set are not present.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CloudClient } from '../client/index';
import {
  UNLIMITED,
  liveEvidence,
  databaseLabel,
  enrolPayer,
  startTestCloud,
  type TestCloud,
} from '../test-support';
import { FACES } from '../../main/face/test-faces';

const root = resolve(import.meta.dirname, '../..');
const faces = FACES.dir;
const ready =
  existsSync(join(faces, 'manifest.json')) &&
  existsSync(join(root, 'assets/models/fr_feature.onnx'));

const identityOf = (file: string) => file.split('/')[1] as string;

describe(
  `identify with real face embeddings (${databaseLabel()})`,
  { skip: FACES.skip || (!ready && 'face models or face set missing') },
  () => {
    let t: TestCloud;
    let terminal: CloudClient;
    let gallery: string[] = [];
    let probes: string[] = [];
    const embeddings = new Map<string, Float32Array>();

    before(async () => {
      const manifest = JSON.parse(readFileSync(join(faces, 'manifest.json'), 'utf8')) as {
        identification: { gallery: string[]; probes: string[] };
      };
      // 40 enrolled people who have other photos to probe with, and 5 people never enrolled.
      const probed = new Set(manifest.identification.probes.map(identityOf));
      const withProbes = manifest.identification.gallery.filter((f) => probed.has(identityOf(f)));
      gallery = withProbes.slice(0, 40);
      const enrolled = new Set(gallery.map(identityOf));
      const outsiders = withProbes.slice(40, 45).map(identityOf);
      probes = [
        ...gallery.map(
          (g) =>
            manifest.identification.probes.find((p) => identityOf(p) === identityOf(g)) as string,
        ),
        ...outsiders.map(
          (o) => manifest.identification.probes.find((p) => identityOf(p) === o) as string,
        ),
      ];
      assert.equal(enrolled.size, 40);

      const { FaceEngine } = await import('../../main/face/engine');
      const engine = await FaceEngine.start();
      try {
        for (const file of [...gallery.slice(1), ...probes]) {
          const embedding = (await engine.embedFile(join(faces, file))).face?.embedding;
          if (embedding !== undefined) embeddings.set(file, embedding);
        }
      } finally {
        await engine.close();
      }
      // The calibrated threshold and default margin; an accuracy run identifies faster than a till.
      t = await startTestCloud({ limits: UNLIMITED });
      terminal = await t.pairedTerminal();
      for (const [i, file] of gallery.slice(1).entries()) {
        const embedding = embeddings.get(file);
        if (embedding === undefined) continue;
        await enrolPayer(t.admin, {
          name: identityOf(file),
          phone: `1380000${String(i).padStart(4, '0')}`,
          templates: [embedding],
        });
      }
    });
    after(() => t?.close());

    it('enrols from image files through the CLI', async () => {
      const first = gallery[0] as string;
      // Asynchronously: the service answering the CLI runs in this very process.
      const run = await promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          join(root, 'cloud/cli.ts'),
          'enrol',
          '--url',
          t.cloud.url,
          '--admin-token',
          t.cloud.adminToken,
          '--name',
          identityOf(first),
          '--phone',
          '13899990000',
          '--images',
          join(faces, first),
        ],
        { cwd: root, encoding: 'utf8' },
      );
      const out = JSON.parse(run.stdout) as { payerId: string; templates: number };
      assert.equal(out.templates, 1);
    });

    it('identifies enrolled people from other photos and refuses people never enrolled', async (ctx) => {
      let right = 0;
      let wrong = 0;
      let strangersMatched = 0;
      for (const [i, file] of probes.entries()) {
        const embedding = embeddings.get(file);
        if (embedding === undefined) continue;
        const answer = await terminal.identify({
          embedding,
          liveness: liveEvidence(),
          amountFen: 100,
        });
        if (i >= gallery.length) {
          if (answer.result === 'match') strangersMatched++;
          continue;
        }
        if (answer.result !== 'match') continue;
        const name = identityOf(file);
        // The first and last character, the middle masked (names here are one word, ASCII).
        const expected = `${name[0]}${'*'.repeat(name.length - 2)}${name.at(-1)}`;
        if (answer.payer.maskedName === expected) right++;
        else wrong++;
      }
      ctx.diagnostic(
        `matched ${right} of 40 enrolled, ${wrong} wrong, ${strangersMatched} of 5 strangers`,
      );
      assert.equal(wrong, 0, 'never the wrong person');
      assert.equal(strangersMatched, 0, 'nobody who never enrolled');
      assert.ok(right >= 32, `identified ${right} of 40`);
    });
  },
);

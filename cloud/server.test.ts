import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AdminClient } from './client/admin';
import { CloudClient } from './client/index';
import { migrate } from './db/migrate';
import { openDb } from './db';
import { MIGRATIONS } from './db/migrations';
import { startCloud } from './server';
import {
  CONSENT,
  LIVE,
  databaseLabel,
  enrolPayer,
  randomUnit,
  rng,
  startTestCloud,
} from './test-support';

const databaseUrl = process.env.DATABASE_URL || undefined;

describe(`migrations (${databaseLabel()})`, () => {
  it('apply once, are recorded, and refuse a database newer than the code', async () => {
    const schema = `cloud_test_${randomBytes(6).toString('hex')}`;
    const db = await openDb(databaseUrl ? { databaseUrl, schema } : {});
    try {
      assert.deepEqual(
        await migrate(db),
        MIGRATIONS.map((m) => m.version),
      );
      assert.deepEqual(await migrate(db), []);
      const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
      assert.deepEqual(
        rows.map((r) => r.version).sort((a, b) => a - b),
        MIGRATIONS.map((m) => m.version),
      );
      await db.query("INSERT INTO schema_migrations (version, name) VALUES (99, 'future')");
      await assert.rejects(migrate(db), /newer than this build/);
    } finally {
      if (databaseUrl) await db.query(`DROP SCHEMA ${schema} CASCADE`);
      await db.close();
    }
  });
});

describe(
  'the PGlite data directory',
  { skip: databaseUrl !== undefined && 'runs without DATABASE_URL' },
  () => {
    it('keeps payers, templates, keys, terminals and the admin token across a restart', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'cloud-test-'));
      try {
        const face = randomUnit(rng(9));
        const first = await startCloud({ dataDir, port: 0, logger: false });
        assert.equal(first.adminTokenGenerated, true);
        const admin = new AdminClient(first.url, first.adminToken);
        await admin.createStore({ storeId: 's', name: 'S' });
        const terminal = new CloudClient({ baseUrl: first.url });
        await terminal.pair((await admin.pairingCode('s')).code);
        await enrolPayer(admin, { name: 'Kept', phone: '13800000001', templates: [face] });
        await first.close();

        const second = await startCloud({ dataDir, port: 0, logger: false });
        try {
          assert.equal(second.adminTokenGenerated, false);
          assert.equal(second.adminToken, first.adminToken);
          assert.equal(second.identifyPublicKey, first.identifyPublicKey);
          assert.equal(second.index.size, 1);
          const again = new CloudClient({ baseUrl: second.url, credentials: terminal.credentials });
          const answer = await again.identify({ embedding: face, liveness: LIVE, amountFen: 100 });
          assert.equal(answer.result, 'match');
        } finally {
          await second.close();
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  },
);

describe(
  'replicas on one PostgreSQL',
  { skip: databaseUrl === undefined && 'needs DATABASE_URL' },
  () => {
    it('share the sealing key and pick up templates enrolled through each other', async () => {
      const one = await startTestCloud({ indexRefreshMs: 100 });
      const two = await startCloud({
        databaseUrl,
        dbSchema: one.cloud.config.dbSchema,
        adminToken: one.cloud.adminToken,
        port: 0,
        indexRefreshMs: 100,
        logger: false,
      });
      try {
        assert.equal(two.identifyPublicKey, one.cloud.identifyPublicKey);
        const terminal = await one.pairedTerminal();
        const viaTwo = new CloudClient({ baseUrl: two.url, credentials: terminal.credentials });
        const face = randomUnit(rng(10));
        const payer = await one.admin.createPayer({ name: 'Roaming', phone: '13800000002' });
        await one.admin.enrol(payer.payerId, [face], { source: 'vectors', consent: CONSENT });
        let result = 'no_match';
        for (let i = 0; i < 50 && result !== 'match'; i++) {
          await new Promise((r) => setTimeout(r, 50));
          result = (await viaTwo.identify({ embedding: face, liveness: LIVE, amountFen: 100 }))
            .result;
        }
        assert.equal(result, 'match');
        await one.admin.revokeTemplates(payer.payerId);
        for (let i = 0; i < 50 && result === 'match'; i++) {
          await new Promise((r) => setTimeout(r, 50));
          result = (await viaTwo.identify({ embedding: face, liveness: LIVE, amountFen: 100 }))
            .result;
        }
        assert.equal(result, 'no_match');
      } finally {
        await two.close();
        await one.close();
      }
    });
  },
);

describe(`HTTP basics (${databaseLabel()})`, () => {
  it('answers health, unknown routes and malformed bodies with the error shape', async () => {
    const t = await startTestCloud();
    try {
      const health = await fetch(`${t.cloud.url}/v1/health`).then((r) => r.json());
      assert.deepEqual(health, { ok: true, database: databaseLabel(), templates: 0 });
      const missing = await fetch(`${t.cloud.url}/v1/nope`);
      assert.deepEqual(
        [missing.status, ((await missing.json()) as { error: { code: string } }).error.code],
        [404, 'NOT_FOUND'],
      );
      const garbled = await fetch(`${t.cloud.url}/v1/pair`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"code":',
      });
      assert.deepEqual(
        [garbled.status, ((await garbled.json()) as { error: { code: string } }).error.code],
        [400, 'VALIDATION'],
      );
      const invalid = await fetch(`${t.cloud.url}/v1/pair`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"code":5}',
      });
      assert.deepEqual(await invalid.json(), {
        error: {
          code: 'VALIDATION',
          message: 'body.code: Invalid input: expected string, received number',
          field: 'body.code',
        },
      });
    } finally {
      await t.close();
    }
  });
});

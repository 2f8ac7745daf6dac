/**
 * `npm run cloud -- [COMMAND] [--flags]`
 *
 *   serve (default)   run the service: --data-dir DIR --port N --host H (DATABASE_URL: PostgreSQL)
 *
 * Back-office commands talk to a running service over HTTP (--url, default the local one; the
 * admin token from --admin-token, CLOUD_ADMIN_TOKEN or the data directory). Over HTTP because
 * PGlite allows one process per data directory, and so the running service's face index sees
 * every enrolment at once.
 *
 *   store         --id S --name N [--timezone Asia/Shanghai]
 *   pairing-code  --store S [--terminal-name T]
 *   payer         --name N --phone P [--balance-fen F] [--per-tx-limit-fen F] [--daily-limit-fen F]
 *   enrol         (--payer ID | --name N --phone P [--balance-fen F])
 *                 (--embedding-file F.json | --images IMG...)
 *                 [--consent-version V] [--recorded-by WHO]
 *   topup         --payer ID --amount-fen F --reference R
 *   products      --file products.json          (an array of products, shape of the contract's)
 *   report        --date YYYY-MM-DD [--store S]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ADMIN_TOKEN_FILE } from './auth/admin';
import { AdminClient } from './client/admin';
import { CloudRequestError } from './client/index';
import { resolveConfig } from './config';
import { EMBEDDING_DIM, startCloud } from './server';

type Flags = Map<string, string[]>;

/** `--name value`, `--name=value`, and `--images a.jpg b.jpg` (every value up to the next flag). */
export function parseArgs(argv: readonly string[]): { command: string; flags: Flags } {
  const flags: Flags = new Map();
  let command = 'serve';
  let current: string | null = null;
  argv.forEach((arg, i) => {
    if (arg.startsWith('--')) {
      const [name, value] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      current = name;
      flags.set(name, value === undefined ? [] : [value]);
    } else if (current !== null) {
      flags.get(current)?.push(arg);
    } else if (i === 0) {
      command = arg;
    } else {
      throw new Error(`unexpected argument: ${arg}`);
    }
  });
  return { command, flags };
}

function flag(flags: Flags, name: string): string | undefined {
  return flags.get(name)?.[0];
}

function required(flags: Flags, name: string): string {
  const value = flag(flags, name);
  if (value === undefined || value === '') throw new Error(`--${name} is required`);
  return value;
}

function fenFlag(flags: Flags, name: string): number | undefined {
  const value = flag(flags, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number of fen`);
  return n;
}

function admin(flags: Flags): AdminClient {
  const config = resolveConfig({
    ...(flag(flags, 'data-dir') ? { dataDir: flag(flags, 'data-dir') } : {}),
  });
  const url = flag(flags, 'url') ?? process.env.CLOUD_URL ?? `http://127.0.0.1:${config.port}`;
  const tokenFile = join(config.dataDir, ADMIN_TOKEN_FILE);
  const token =
    flag(flags, 'admin-token') ??
    config.adminToken ??
    (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : undefined);
  if (token === undefined) {
    throw new Error(
      `no admin token: pass --admin-token, set CLOUD_ADMIN_TOKEN, or run where ${tokenFile} exists`,
    );
  }
  return new AdminClient(url, token);
}

/** A JSON file holding one embedding, a list of them, or {"embeddings": [...]}. */
export function readEmbeddingFile(path: string): number[][] {
  const data = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  const list = Array.isArray(data) ? data : (data as { embeddings?: unknown }).embeddings;
  if (!Array.isArray(list) || list.length === 0) throw new Error(`${path}: no embeddings found`);
  const vectors = typeof list[0] === 'number' ? [list] : list;
  return vectors.map((v, i) => {
    if (!Array.isArray(v) || v.length !== EMBEDDING_DIM || !v.every((x) => typeof x === 'number')) {
      throw new Error(`${path}: embedding ${i} is not ${EMBEDDING_DIM} numbers`);
    }
    return v as number[];
  });
}

/**
 * Embeddings of still photos through the terminal's own face pipeline (main/face), loaded only
 * for this command so the service never pulls in ONNX Runtime.
 */
async function embeddingsFromImages(files: string[]): Promise<Float32Array[]> {
  const { FaceEngine } = await import('../main/face/engine');
  const engine = await FaceEngine.start();
  try {
    const out: Float32Array[] = [];
    for (const file of files) {
      const analysis = await engine.embedFile(resolve(file));
      const embedding = analysis.face?.embedding;
      if (embedding === undefined) throw new Error(`${file}: no usable face found`);
      if (analysis.faceCount > 1) throw new Error(`${file}: more than one face; crop to the payer`);
      out.push(embedding);
    }
    return out;
  } finally {
    await engine.close();
  }
}

async function serve(flags: Flags): Promise<void> {
  const port = flag(flags, 'port');
  const cloud = await startCloud({
    ...(flag(flags, 'data-dir') ? { dataDir: flag(flags, 'data-dir') } : {}),
    ...(flag(flags, 'database-url') ? { databaseUrl: flag(flags, 'database-url') } : {}),
    ...(flag(flags, 'host') ? { host: flag(flags, 'host') } : {}),
    ...(port === undefined ? {} : { port: Number(port) }),
  });
  const storage =
    cloud.db.kind === 'postgres'
      ? 'PostgreSQL (DATABASE_URL)'
      : `PGlite in ${cloud.config.dataDir}`;
  console.log(`CLOUD_READY ${cloud.url}`);
  console.log(`Face-pay cloud is running at ${cloud.url} (storage: ${storage})`);
  console.log(
    `  face templates in memory: ${cloud.index.size}, match threshold ${cloud.config.threshold}`,
  );
  if (cloud.adminTokenGenerated) {
    console.log(
      `  admin token (shown once; also in ${join(cloud.config.dataDir, ADMIN_TOKEN_FILE)}):`,
    );
    console.log(`    ${cloud.adminToken}`);
  }
  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    void cloud.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

async function run(command: string, flags: Flags): Promise<void> {
  const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));
  switch (command) {
    case 'serve':
      return serve(flags);
    case 'store':
      return print(
        await admin(flags).createStore({
          storeId: required(flags, 'id'),
          name: required(flags, 'name'),
          ...(flag(flags, 'timezone') ? { timezone: flag(flags, 'timezone') } : {}),
        }),
      );
    case 'pairing-code':
      return print(
        await admin(flags).pairingCode(required(flags, 'store'), flag(flags, 'terminal-name')),
      );
    case 'payer':
      return print(
        await admin(flags).createPayer({
          name: required(flags, 'name'),
          phone: required(flags, 'phone'),
          balanceFen: fenFlag(flags, 'balance-fen') ?? 0,
          perTxLimitFen: fenFlag(flags, 'per-tx-limit-fen'),
          dailyLimitFen: fenFlag(flags, 'daily-limit-fen'),
        }),
      );
    case 'enrol': {
      const client = admin(flags);
      const file = flag(flags, 'embedding-file');
      const images = flags.get('images') ?? [];
      if ((file === undefined) === (images.length === 0)) {
        throw new Error('give exactly one of --embedding-file F.json or --images IMG...');
      }
      // Read the faces first: a bad file must not leave a payer without templates behind.
      const embeddings =
        file !== undefined ? readEmbeddingFile(file) : await embeddingsFromImages(images);
      const payerId =
        flag(flags, 'payer') ??
        (
          await client.createPayer({
            name: required(flags, 'name'),
            phone: required(flags, 'phone'),
            balanceFen: fenFlag(flags, 'balance-fen') ?? 0,
          })
        ).payerId;
      const enrolled = await client.enrol(payerId, embeddings, {
        source: file !== undefined ? 'vectors' : 'images',
        consent: {
          textVersion: flag(flags, 'consent-version') ?? 'face-pay-consent-v1',
          recordedBy: flag(flags, 'recorded-by') ?? 'cli',
        },
      });
      return print({ payerId, ...enrolled });
    }
    case 'topup':
      return print(
        await admin(flags).topUp(
          required(flags, 'payer'),
          fenFlag(flags, 'amount-fen') ?? 0,
          required(flags, 'reference'),
        ),
      );
    case 'products': {
      const products = JSON.parse(readFileSync(required(flags, 'file'), 'utf8')) as [];
      return print(await admin(flags).upsertProducts(products));
    }
    case 'report': {
      const store = flag(flags, 'store');
      const date = required(flags, 'date');
      return print(
        store === undefined
          ? await admin(flags).chainDailyReport(date)
          : await admin(flags).storeDailyReport(store, date),
      );
    }
    default:
      throw new Error(`unknown command "${command}" (see the top of cloud/cli.ts)`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) {
  const { command, flags } = (() => {
    try {
      return parseArgs(process.argv.slice(2));
    } catch (error) {
      console.error((error as Error).message);
      return process.exit(2);
    }
  })();
  run(command, flags).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof CloudRequestError ? ` [${error.code}]` : '';
    const hint =
      (error as { code?: string }).code === 'EADDRINUSE' ? ' (the port is taken: try --port)' : '';
    console.error(`cloud ${command}: ${message}${code}${hint}`);
    process.exit(1);
  });
}

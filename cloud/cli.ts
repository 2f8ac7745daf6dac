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
 *                 (--images IMG... | --session CLIP.y4m | --embedding-file F.json)
 *                 [--consent-version V] [--recorded-by WHO]
 *                   --images: the photos are uploaded; the service embeds them and keeps only
 *                     the templates. --session: a face session runs here on the clip (it stands
 *                     for the camera: liveness checked, frames fused) and the fused embedding
 *                     goes to the service sealed. Consent is recorded with the templates.
 *   topup         --payer ID --amount-fen F --reference R
 *   paycode       --payer ID [--confirm]         a one-time payment code (99…, 18 digits, 60 s) the
 *                   payer's phone would show; --confirm: a pay by it waits for `confirm`
 *   confirm       --payer ID                     the payer confirms on the phone (waiting → paid)
 *   scan          --payer ID URL                 the payer's phone scans a merchant QR and pays it
 *   products      --file products.json          (an array of products, shape of the contract's)
 *   report        --date YYYY-MM-DD [--store S]
 *   audit-alerts  [--store S]                   (terminals whose audit chain differs from its anchors)
 *   terminals     list | revoke ID   (revoked: every request signed with its key is refused at once)
 *   alerts        [--limit N]        (bursts the rate limits refused, newest first)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { restrictUmask } from '../main/shared/private-files';
import { ADMIN_TOKEN_FILE } from './auth/admin';
import { AdminClient } from './client/admin';
import { CloudRequestError } from './client/index';
import { resolveConfig } from './config';
import { EMBEDDING_DIM, startCloud } from './server';
import { sniffImageFormat } from '../main/face/image-format';

type Flags = Map<string, string[]>;

/** Commands that take words after them (`terminals revoke ID`), kept under the flag name ''. */
const POSITIONAL = new Set(['terminals', 'scan']);

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
    } else if (POSITIONAL.has(command)) {
      // `terminals revoke ID`: words after a command that takes them, before any flag.
      flags.set('', [...(flags.get('') ?? []), arg]);
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
 * The photos' bytes, each checked to be a JPEG, PNG, WebP or AVIF file before anything is
 * created in the cloud (the cloud decodes them; this only catches the wrong file early).
 */
export function readPhotos(files: readonly string[]): Buffer[] {
  return files.map((file) => {
    const bytes = readFileSync(resolve(file));
    const format = sniffImageFormat(bytes);
    if (format === 'heic') throw new Error(`${file}: HEIC photos cannot be read; export as JPEG`);
    if (format === null) throw new Error(`${file}: not a JPEG, PNG, WebP or AVIF photo`);
    return bytes;
  });
}

/**
 * A camera session on a clip (the clip stands for the camera) through the terminal's own face
 * pipeline, loaded only for this command: the fused embedding of the frames that passed the
 * quality gates, with liveness checked over several of them. Frames stay in memory.
 */
export async function embeddingFromSession(clip: string): Promise<Float32Array> {
  const { FaceEngine, runFaceSession, Y4mFileSource } = await import('../main/face');
  const engine = await FaceEngine.start();
  const source = new Y4mFileSource(resolve(clip), { loop: true });
  try {
    const outcome = await runFaceSession(engine, source, { previewWidth: 0 }).result;
    if (outcome.status !== 'ready') {
      throw new Error(
        `${clip}: the face session did not succeed (${outcome.code}: ${outcome.message})`,
      );
    }
    return outcome.embedding;
  } finally {
    source.close();
    await engine.close();
  }
}

/** `enrol`: a new or existing payer, templates from vectors, photos or a camera session. */
async function enrol(client: AdminClient, flags: Flags): Promise<unknown> {
  const file = flag(flags, 'embedding-file');
  const images = flags.get('images') ?? [];
  const session = flag(flags, 'session');
  const given = [file !== undefined, images.length > 0, session !== undefined].filter(Boolean);
  if (given.length !== 1) {
    throw new Error(
      'give exactly one of --images IMG..., --session CLIP.y4m or --embedding-file F.json',
    );
  }
  const consent = {
    textVersion: flag(flags, 'consent-version') ?? 'face-pay-consent-v1',
    recordedBy: flag(flags, 'recorded-by') ?? 'cli',
    acceptedAt: new Date().toISOString(),
  };
  // Everything that can fail here fails before a payer is created: the files, the session.
  const vectors = file !== undefined ? readEmbeddingFile(file) : null;
  const photos = images.length > 0 ? readPhotos(images) : null;
  const camera = session !== undefined ? await embeddingFromSession(session) : null;

  const existing = flag(flags, 'payer');
  const payerId =
    existing ??
    (
      await client.createPayer({
        name: required(flags, 'name'),
        phone: required(flags, 'phone'),
        balanceFen: fenFlag(flags, 'balance-fen') ?? 0,
      })
    ).payerId;
  try {
    if (photos !== null)
      return { payerId, ...(await client.enrolPhotos(payerId, photos, consent)) };
    if (camera !== null) {
      const { publicKey } = await client.identifyPublicKey();
      const enrolled = await client.enrol(payerId, [camera], {
        source: 'camera',
        consent,
        sealTo: publicKey,
      });
      camera.fill(0);
      return { payerId, ...enrolled };
    }
    return {
      payerId,
      ...(await client.enrol(payerId, vectors ?? [], { source: 'vectors', consent })),
    };
  } catch (error) {
    if (existing === undefined && error instanceof Error) {
      error.message += ` (payer ${payerId} was created without templates: retry with --payer ${payerId})`;
    }
    throw error;
  }
}

/** `terminals list` and `terminals revoke ID`. */
async function terminals(client: AdminClient, flags: Flags): Promise<unknown> {
  const [action, terminalId, ...rest] = flags.get('') ?? [];
  if (action === 'list' && terminalId === undefined) return client.terminals();
  if (action === 'revoke' && terminalId !== undefined && rest.length === 0) {
    return client.revokeTerminal(terminalId);
  }
  throw new Error('usage: terminals list | terminals revoke TERMINAL_ID');
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
    case 'enrol':
      return print(await enrol(admin(flags), flags));
    case 'topup':
      return print(
        await admin(flags).topUp(
          required(flags, 'payer'),
          fenFlag(flags, 'amount-fen') ?? 0,
          required(flags, 'reference'),
        ),
      );
    case 'paycode': {
      // `--confirm` takes no value: present means on.
      const paycode = await admin(flags).payCode(required(flags, 'payer'), {
        confirm: flags.has('confirm'),
      });
      console.log(paycode.code);
      console.error(
        `one-time payment code, good until ${paycode.expiresAt}` +
          (paycode.confirm ? ` (the payment waits for: cloud confirm --payer ...)` : ''),
      );
      return;
    }
    case 'confirm':
      return print(await admin(flags).confirmPayments(required(flags, 'payer')));
    case 'scan': {
      const [url, ...rest] = [...(flags.get('') ?? []), ...(flags.get('payer') ?? []).slice(1)];
      if (url === undefined || rest.length > 0) throw new Error('usage: scan --payer ID URL');
      const answer = await admin(flags).scanQr(required(flags, 'payer'), url);
      print(answer);
      if (answer.result !== 'paid') process.exitCode = 1;
      return;
    }
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
    case 'audit-alerts':
      return print(await admin(flags).auditAlerts(flag(flags, 'store')));
    case 'terminals':
      return print(await terminals(admin(flags), flags));
    case 'alerts': {
      const limit = flag(flags, 'limit');
      return print(await admin(flags).alerts(limit === undefined ? undefined : Number(limit)));
    }
    default:
      throw new Error(`unknown command "${command}" (see the top of cloud/cli.ts)`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) {
  // The data directory, the database, the secrets: everything this process writes is owner-only.
  restrictUmask();
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

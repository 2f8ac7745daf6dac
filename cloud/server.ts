/**
 * The reference cloud: the payment platform (payers, face identification, authorisation) and the
 * shop's back office (terminals, event ingestion, reports, membership, catalogue) as one Fastify
 * service. `startCloud` is all a caller needs: `npm start` runs it on loopback beside the
 * terminal, `npm run cloud` runs it on its own, tests run it on a free port.
 *
 * Logs are pino JSON lines of route, status, duration and terminal id. Bodies, query strings,
 * embeddings, ciphertexts and tokens are never logged: Fastify's own request logging is off and
 * the one line per request is written here.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import { acquireRoutes } from './acquire/routes';
import { AcquireService } from './acquire/service';
import { loadOrCreateAdminToken } from './auth/admin';
import { pairingRoutes } from './auth/routes';
import { TerminalVerifier, createPairingCode } from './auth/terminals';
import { terminalAdminRoutes } from './auth/terminal-admin-routes';
import { CatalogService } from './catalog/service';
import { catalogRoutes } from './catalog/routes';
import { resolveConfig, type CloudConfig, type CloudOptions } from './config';
import {
  FileSecretStore,
  MemorySecretStore,
  secretsDirFor,
  type SecretStore,
} from '../main/shared/secret-store';
import { ensurePrivateDir } from '../main/shared/private-files';
import { loadCloudKeys, type CloudKeys } from './crypto/keys';
import { loadOrCreatePaymentSigner, type PaymentSigner } from './crypto/payment-key';
import { openDb, type Db } from './db';
import { migrate } from './db/migrate';
import { CloudError } from './errors';
import { Router } from './http';
import { identifyRoutes } from './identify/routes';
import { IdentifyService } from './identify/service';
import { TemplateIndex } from './identify/template-index';
import { TemplateSync } from './identify/template-sync';
import { auditRoutes } from './audit/routes';
import { AuditAnchorService } from './audit/service';
import { ingestRoutes } from './ingest/routes';
import { IngestService } from './ingest/service';
import { Limiter } from './limits/limiter';
import { alertRoutes } from './limits/routes';
import { membershipRoutes } from './membership/routes';
import { MembershipService } from './membership/service';
import { facePhotoEmbedder, type PhotoEmbedder } from './payers/photo-embedder';
import { payerRoutes } from './payers/routes';
import { PayerService } from './payers/service';
import { paymentRoutes } from './payments/routes';
import { PaymentService } from './payments/service';
import { reportRoutes } from './reports/routes';
import { ReportService } from './reports/service';

export const EMBEDDING_DIM = 512;
/**
 * Every route's body limit unless it declares a larger one: an identify request (a sealed
 * embedding of 2.7 KiB and the liveness scores) or an authorise fits many times over. Larger:
 * event batches (ingest), enrolment and product uploads (admin only), photos (admin only).
 */
export const DEFAULT_BODY_LIMIT = 64 * 1024;
const HOUSEKEEPING_MS = 60_000;

export interface RunningCloud {
  /** http://host:port, no trailing slash. */
  url: string;
  port: number;
  adminToken: string;
  /** True when this start generated the admin token (print it once). */
  adminTokenGenerated: boolean;
  /** The X25519 key terminals seal embeddings to (raw, base64url). */
  identifyPublicKey: string;
  /** The Ed25519 key approved face payments are signed with (terminals get it at pairing). */
  paymentPublicKey: string;
  config: CloudConfig;
  app: FastifyInstance;
  db: Db;
  /** Where the keys are (cloud/crypto/keys.ts); a second replica on one database takes these. */
  secrets: SecretStore;
  index: TemplateIndex;
  /** Creates (or renames) a store; for `npm start`, which pairs its own terminal. */
  ensureStore(storeId: string, name: string, timezone?: string): Promise<void>;
  createPairingCode(
    storeId: string,
    terminalName: string,
  ): Promise<{ code: string; expiresAt: string }>;
  close(): Promise<void>;
}

interface Services {
  db: Db;
  config: CloudConfig;
  keys: CloudKeys;
  signer: PaymentSigner;
  index: TemplateIndex;
  templates: TemplateSync;
  verifier: TerminalVerifier;
  adminToken: string;
  photos: PhotoEmbedder;
  limiter: Limiter;
}

async function buildApp(s: Services): Promise<FastifyInstance> {
  const { config } = s;
  const app = Fastify({
    logger:
      config.logger === false
        ? false
        : {
            level: config.logger.level,
            ...(config.logger.stream ? { stream: config.logger.stream } : {}),
          },
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: DEFAULT_BODY_LIMIT,
  });
  app.decorateRequest('rawBody', null);
  app.decorateRequest('terminalId', null);
  app.decorateRequest('admitted', null);

  // Per client address, on every route, before anything else runs (its own onRequest hook is
  // added first). In memory, so per process: issue 13 moves it to a shared store. The limits that
  // must hold across replicas (per terminal, per payer) are counted in the database (Limiter).
  await app.register(rateLimit, {
    global: true,
    max: config.ratePerIpPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) =>
      new CloudError(
        'RATE_LIMITED',
        `too many requests from this address: try again in ${Math.ceil(context.ttl / 1000)} s`,
      ),
  });

  // Keep the exact bytes: the signature is over them. Then parse.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    request.rawBody = bytes;
    if (bytes.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(bytes.toString('utf8')));
    } catch {
      done(new CloudError('VALIDATION', 'the body is not valid JSON', 'body'), undefined);
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        route: request.routeOptions.url ?? 'unmatched',
        method: request.method,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ...(request.terminalId === null ? {} : { terminalId: request.terminalId }),
      },
      'request',
    );
  });

  app.setErrorHandler((error: FastifyError | CloudError, request, reply) => {
    if (error instanceof CloudError) {
      if (error.retryAfterS !== undefined) void reply.header('retry-after', error.retryAfterS);
      return reply.code(error.status).send({ error: error.toJSON() });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const tooLarge = new CloudError('PAYLOAD_TOO_LARGE', 'the body is too large');
      return reply.code(413).send({ error: tooLarge.toJSON() });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own refusals (bad content type, empty JSON body): their messages hold no data.
      return reply.code(status).send({ error: { code: 'VALIDATION', message: error.message } });
    }
    // Message and code only: a driver's error detail may quote the values it choked on.
    request.log.error({ error: { message: error.message, code: error.code } }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'INTERNAL', message: 'internal error' } });
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'no such route' } }),
  );

  const router = new Router(app, s.verifier, s.adminToken);
  router.add({
    method: 'GET',
    url: '/v1/health',
    auth: 'public',
    // Public: up or not, nothing else (no counts, no storage kind). It still asks the database,
    // so "up" means able to serve.
    handler: async () => {
      await s.db.query('SELECT 1');
      return { ok: true };
    },
  });
  const { opener } = s.keys;
  pairingRoutes(router, s.db, opener, s.keys.terminalSecrets, s.signer);
  terminalAdminRoutes(router, s.db);
  alertRoutes(router, s.db);
  payerRoutes(
    router,
    new PayerService(s.db, s.templates, {
      perTxLimitFen: config.defaultPerTxLimitFen,
      dailyLimitFen: config.defaultDailyLimitFen,
    }),
    opener,
    EMBEDDING_DIM,
    s.photos,
  );
  identifyRoutes(router, new IdentifyService(s.db, s.index, opener, config, s.limiter));
  paymentRoutes(router, new PaymentService(s.db, config.timezone, s.signer), s.limiter, s.db);
  ingestRoutes(router, new IngestService(s.db), s.db);
  auditRoutes(router, new AuditAnchorService(s.db));
  reportRoutes(router, new ReportService(s.db));
  membershipRoutes(router, new MembershipService(s.db));
  catalogRoutes(router, new CatalogService(s.db));
  acquireRoutes(app, router, new AcquireService(s.db), s.signer);
  return app;
}

/** The cloud's keys: given, CLOUD_SECRETS_DIR, in memory with an in-memory cloud, or beside. */
function cloudSecrets(options: CloudOptions, config: CloudConfig): SecretStore {
  if (options.secrets !== undefined) return options.secrets;
  if (config.secretsDir !== undefined) return new FileSecretStore(config.secretsDir);
  if (config.inMemory) return new MemorySecretStore();
  return new FileSecretStore(secretsDirFor(config.dataDir));
}

/** `env` (default: the process's) supplies what `options` leaves unset: DATABASE_URL, CLOUD_*. */
export async function startCloud(
  options: CloudOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningCloud> {
  const config = resolveConfig(options, env);
  const usesDataDir =
    !config.inMemory &&
    (config.databaseUrl === undefined ||
      config.adminToken === undefined ||
      (options.secrets === undefined && config.secretsDir === undefined));
  // The database, the admin token, the keys: owner-only, or refused with the fix (checked before
  // anything is read from it, so a folder others could have written is never trusted).
  if (usesDataDir) ensurePrivateDir(config.dataDir);
  const secrets = cloudSecrets(options, config);
  const admin =
    config.adminToken !== undefined
      ? { token: config.adminToken, generated: false }
      : config.inMemory
        ? { token: randomBytes(32).toString('base64url'), generated: true }
        : loadOrCreateAdminToken(config.dataDir);

  const db = await openDb({
    ...(config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl }),
    ...(config.dbSchema === undefined ? {} : { schema: config.dbSchema }),
    ...(config.inMemory ? {} : { dataDir: join(config.dataDir, 'pglite') }),
  });
  let app: FastifyInstance | undefined;
  let templates: TemplateSync | undefined;
  let housekeeping: NodeJS.Timeout | undefined;
  const photos = facePhotoEmbedder();
  try {
    await migrate(db);
    const keys = await loadCloudKeys(db, secrets);
    const { opener } = keys;
    const signer = loadOrCreatePaymentSigner(secrets);
    const index = new TemplateIndex(EMBEDDING_DIM);
    const rejected: number[] = [];
    templates = new TemplateSync(db, index, keys.templates, (id) => rejected.push(id));
    await templates.load();
    const verifier = new TerminalVerifier(db, keys.terminalSecrets);
    const limiter = new Limiter(db, config.limits, {
      warn: (detail, message) => app?.log.warn(detail, message),
    });
    app = await buildApp({
      db,
      config,
      keys,
      signer,
      index,
      templates,
      verifier,
      adminToken: admin.token,
      photos,
      limiter,
    });
    const log = app.log;
    const { converted } = keys;
    if (converted.privateKey || converted.terminals > 0 || converted.templates > 0) {
      log.info({ ...converted, secrets: secrets.location }, 'secrets moved out of the database');
    }
    // Ids only: a template that does not open was moved between rows or sealed by another key.
    const reject = (id: number) => log.error({ templateId: id }, 'a face template does not open');
    rejected.forEach(reject);
    templates.onRejected = reject;
    templates.startPolling(config.indexRefreshMs, (error) =>
      log.warn({ error: (error as Error).message }, 'template refresh failed'),
    );
    housekeeping = setInterval(() => {
      void Promise.all([
        verifier.purgeNonces(),
        limiter.purge(),
        db.query('DELETE FROM payer_tokens WHERE expires_at < now()'),
        // A payer's code is useless a minute after issue; kept a day so a reuse still reads "used".
        db.query("DELETE FROM acquire_codes WHERE expires_at < now() - interval '1 day'"),
      ]).catch((error: unknown) =>
        log.warn({ error: (error as Error).message }, 'housekeeping failed'),
      );
    }, HOUSEKEEPING_MS);
    housekeeping.unref();

    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const running = app;
    const sync = templates;
    const timer = housekeeping;
    return {
      url: `http://${host}:${port}`,
      port,
      adminToken: admin.token,
      adminTokenGenerated: admin.generated,
      identifyPublicKey: opener.publicKey,
      paymentPublicKey: signer.publicKey,
      config,
      app: running,
      db,
      secrets,
      index,
      async ensureStore(storeId, name, timezone = config.timezone) {
        await db.query(
          'INSERT INTO stores (id, name, timezone) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
          [storeId, name, timezone],
        );
      },
      createPairingCode: (storeId, terminalName) => createPairingCode(db, storeId, terminalName),
      async close() {
        clearInterval(timer);
        sync.stop();
        await running.close();
        await photos.close();
        await db.close();
      },
    };
  } catch (error) {
    clearInterval(housekeeping);
    templates?.stop();
    await app?.close().catch(() => {});
    await photos.close().catch(() => {});
    await db.close().catch(() => {});
    throw error;
  }
}

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
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import { loadOrCreateAdminToken } from './auth/admin';
import { pairingRoutes } from './auth/routes';
import { TerminalVerifier, createPairingCode } from './auth/terminals';
import { CatalogService } from './catalog/service';
import { catalogRoutes } from './catalog/routes';
import { resolveConfig, type CloudConfig, type CloudOptions } from './config';
import { loadOrCreateSealingKey } from './crypto/keys';
import { loadOrCreatePaymentSigner, type PaymentSigner } from './crypto/payment-key';
import { cloudSecretStore } from './crypto/secrets';
import type { SealOpener } from './crypto/seal';
import { openDb, type Db } from './db';
import { migrate } from './db/migrate';
import { CloudError } from './errors';
import { Router } from './http';
import { identifyRoutes } from './identify/routes';
import { IdentifyService } from './identify/service';
import { TemplateIndex } from './identify/template-index';
import { TemplateSync } from './identify/template-sync';
import { ingestRoutes } from './ingest/routes';
import { IngestService } from './ingest/service';
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
/** Enough for 1,000 events or 20 plain embeddings with room to spare. */
const BODY_LIMIT = 8 * 1024 * 1024;
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
  opener: SealOpener;
  signer: PaymentSigner;
  index: TemplateIndex;
  templates: TemplateSync;
  verifier: TerminalVerifier;
  adminToken: string;
  photos: PhotoEmbedder;
}

function buildApp(s: Services): FastifyInstance {
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
    bodyLimit: BODY_LIMIT,
  });
  app.decorateRequest('rawBody', null);
  app.decorateRequest('terminalId', null);

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
    if (error instanceof CloudError)
      return reply.code(error.status).send({ error: error.toJSON() });
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
    handler: async () => {
      await s.db.query('SELECT 1');
      return { ok: true, database: s.db.kind, templates: s.index.size };
    },
  });
  pairingRoutes(router, s.db, s.opener, s.signer);
  payerRoutes(
    router,
    new PayerService(s.db, s.templates, {
      perTxLimitFen: config.defaultPerTxLimitFen,
      dailyLimitFen: config.defaultDailyLimitFen,
    }),
    s.opener,
    EMBEDDING_DIM,
    s.photos,
  );
  identifyRoutes(router, new IdentifyService(s.db, s.index, s.opener, config));
  paymentRoutes(router, new PaymentService(s.db, config.timezone, s.signer));
  ingestRoutes(router, new IngestService(s.db), s.db);
  reportRoutes(router, new ReportService(s.db));
  membershipRoutes(router, new MembershipService(s.db));
  catalogRoutes(router, new CatalogService(s.db));
  return app;
}

/** `env` (default: the process's) supplies what `options` leaves unset: DATABASE_URL, CLOUD_*. */
export async function startCloud(
  options: CloudOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningCloud> {
  const config = resolveConfig(options, env);
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
    const opener = await loadOrCreateSealingKey(db);
    const signer = loadOrCreatePaymentSigner(cloudSecretStore(config));
    const index = new TemplateIndex(EMBEDDING_DIM);
    templates = new TemplateSync(db, index);
    await templates.load();
    const verifier = new TerminalVerifier(db);
    app = buildApp({
      db,
      config,
      opener,
      signer,
      index,
      templates,
      verifier,
      adminToken: admin.token,
      photos,
    });
    const log = app.log;
    templates.startPolling(config.indexRefreshMs, (error) =>
      log.warn({ error: (error as Error).message }, 'template refresh failed'),
    );
    housekeeping = setInterval(() => {
      void Promise.all([
        verifier.purgeNonces(),
        db.query('DELETE FROM payer_tokens WHERE expires_at < now()'),
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

/**
 * How the cloud is configured: options passed to startCloud (tests, `npm start` beside the
 * terminal) override command-line flags, which override the environment, which overrides the
 * defaults. Defaults suit one shop's back office on this machine.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { DEFAULT_LIVENESS_POLICY, type LivenessPolicy } from './identify/liveness-policy';
import type { Limits } from './limits/limiter';
import type { SecretStore } from '../main/shared/secret-store';

export interface CloudOptions {
  /** PGlite's data directory and the admin token file. */
  dataDir?: string;
  /** postgres://… : PostgreSQL instead of PGlite (env DATABASE_URL). */
  databaseUrl?: string;
  /** PostgreSQL schema to use (tests take one per run). */
  dbSchema?: string;
  /** PGlite in memory, nothing on disk (tests). */
  inMemory?: boolean;
  /**
   * Where the cloud's keys live (cloud/crypto/keys.ts). Default: the folder CLOUD_SECRETS_DIR
   * names, else `<dataDir>/secrets`; in memory when `inMemory`. Every process of one cloud (the
   * replicas on one PostgreSQL) must use the same keys.
   */
  secrets?: SecretStore;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  adminToken?: string;
  threshold?: number;
  margin?: number;
  /** Lowest mean live probability accepted (env CLOUD_MIN_LIVENESS); see liveness-policy.ts. */
  minLivenessScore?: number;
  tokenTtlMs?: number;
  /** Face-pay limits for payers created without their own. */
  defaultPerTxLimitFen?: number;
  defaultDailyLimitFen?: number;
  /** The zone whose calendar day a daily limit resets on. */
  timezone?: string;
  /** How often each replica picks up templates enrolled through another one; 0 = never. */
  indexRefreshMs?: number;
  /** false: no logs. A stream: pino JSON lines go there (tests capture them). */
  logger?: false | { level?: string; stream?: Writable };
  /** Requests a minute, per client address, on every route (env CLOUD_RATE_PER_IP). */
  ratePerIpPerMinute?: number;
  /** Per terminal and per payer limits on the money path (calls a minute). */
  limits?: Partial<Limits>;
  /** Liveness evidence the cloud accepts (see LivenessPolicy). */
  liveness?: Partial<Omit<LivenessPolicy, 'minMeanScore'>>;
}

export interface CloudConfig {
  dataDir: string;
  databaseUrl: string | undefined;
  dbSchema: string | undefined;
  inMemory: boolean;
  /** CLOUD_SECRETS_DIR, when set: the keys' folder, shared by a cloud's processes. */
  secretsDir: string | undefined;
  host: string;
  port: number;
  adminToken: string | undefined;
  threshold: number;
  margin: number;
  tokenTtlMs: number;
  defaultPerTxLimitFen: number;
  defaultDailyLimitFen: number;
  timezone: string;
  indexRefreshMs: number;
  logger: false | { level: string; stream?: Writable };
  ratePerIpPerMinute: number;
  limits: Limits;
  liveness: LivenessPolicy;
}

/**
 * 1,200 a minute (20 a second) per address: a till at its busiest sends a few requests a second
 * (sync batches, catalogue pages, face pay, status queries), and a shop of ten tills behind one
 * address stays well under; a local program hammering the cloud is held to 20 a second.
 */
export const DEFAULT_RATE_PER_IP = 1200;

/**
 * A till serves at most a customer every ten seconds or so, and one face payment makes one or two
 * identify calls (the second after an "ambiguous" answer) and one authorise: 20 a minute is twice
 * the busiest honest till, and holds a stolen key to 20 guesses a minute instead of 200 a second.
 * A payer pays a couple of times a minute at most: 10 matches a minute on one face, from any
 * terminal, leave room for retries and stop a photo being run against the cloud. Authorise needs
 * a token, and only a match issues one, so the per-payer match limit bounds authorise too.
 */
export const DEFAULT_LIMITS: Limits = {
  identifyPerTerminal: 20,
  authorisePerTerminal: 20,
  matchesPerPayer: 10,
};

export const DEFAULT_PORT = 7470;
/** Without a calibration file: FAR 1e-4 on the shared face set's all-vs-all pairs. */
export const DEFAULT_THRESHOLD = 0.41;
export const DEFAULT_MARGIN = 0.05;

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'facepay-cloud');
}

/**
 * The face pipeline's calibrated identification threshold, when main/face has one: the
 * threshold of its `identifyFar` entry (the 1:1 false-accept target it chose for 1:N search,
 * stricter than 1:1 verification because a stranger is compared with every enrolled payer). Read
 * as data, so the service loads neither the pipeline's code nor its models.
 */
export function calibratedThreshold(
  path = resolve(import.meta.dirname, '../main/face/thresholds.json'),
): number | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as {
      identifyFar?: unknown;
      verify?: { far?: unknown; threshold?: unknown }[];
    };
    const entry = data.verify?.find((v) => v.far === data.identifyFar);
    const threshold = entry?.threshold;
    return typeof threshold === 'number' && threshold > 0 && threshold < 1 ? threshold : undefined;
  } catch {
    return undefined;
  }
}

function num(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`not a number: ${value}`);
  return n;
}

export function resolveConfig(
  options: CloudOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): CloudConfig {
  const logger = options.logger;
  return {
    dataDir: options.dataDir ?? env.CLOUD_DATA_DIR ?? defaultDataDir(env),
    databaseUrl: options.databaseUrl ?? (env.DATABASE_URL || undefined),
    dbSchema: options.dbSchema ?? (env.CLOUD_DB_SCHEMA || undefined),
    inMemory: options.inMemory ?? false,
    secretsDir: env.CLOUD_SECRETS_DIR || undefined,
    host: options.host ?? env.CLOUD_HOST ?? '127.0.0.1',
    port: options.port ?? num(env.CLOUD_PORT) ?? DEFAULT_PORT,
    adminToken: options.adminToken ?? (env.CLOUD_ADMIN_TOKEN || undefined),
    threshold:
      options.threshold ?? num(env.CLOUD_THRESHOLD) ?? calibratedThreshold() ?? DEFAULT_THRESHOLD,
    margin: options.margin ?? num(env.CLOUD_MARGIN) ?? DEFAULT_MARGIN,
    tokenTtlMs: options.tokenTtlMs ?? 120_000,
    defaultPerTxLimitFen: options.defaultPerTxLimitFen ?? 100_000,
    defaultDailyLimitFen: options.defaultDailyLimitFen ?? 500_000,
    timezone: options.timezone ?? env.CLOUD_TIMEZONE ?? 'Asia/Shanghai',
    indexRefreshMs: options.indexRefreshMs ?? num(env.CLOUD_INDEX_REFRESH_MS) ?? 2000,
    ratePerIpPerMinute:
      options.ratePerIpPerMinute ?? num(env.CLOUD_RATE_PER_IP) ?? DEFAULT_RATE_PER_IP,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    liveness: {
      ...DEFAULT_LIVENESS_POLICY,
      ...options.liveness,
      minMeanScore:
        options.minLivenessScore ??
        num(env.CLOUD_MIN_LIVENESS) ??
        DEFAULT_LIVENESS_POLICY.minMeanScore,
    },
    logger:
      logger === false
        ? false
        : {
            level: logger?.level ?? env.CLOUD_LOG_LEVEL ?? 'info',
            ...(logger?.stream ? { stream: logger.stream } : {}),
          },
  };
}

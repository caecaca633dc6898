/**
 * Configuration is read from the environment once, validated, and handed around as this typed
 * object. A wrong variable stops the boot with one line per problem (never a half-configured app).
 */
export interface AppConfig {
  port: number;
  host: string;
  /** postgres://… of a PostgreSQL server; null selects the embedded PGlite database in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  adminApiKey: string | null;
  /** Who did what, as answers to a `public` key tell it: the newsroom, never a key's name. */
  publicActorName: string;
  /**
   * PUBLIC_BASE_URL: where readers reach the API from outside (`https://tracker.example.org`, maybe with a
   * path prefix; no trailing slash). Links meant to leave the API (the digest's picture) are absolute
   * under it; null keeps them paths under the API's origin.
   */
  publicBaseUrl: string | null;
  rateLimitPerMinute: number;
  /** Live streams (/stream) one API key may hold open in one instance. */
  streamsPerKey: number;
  /** The most notices a reconnecting /stream replays; a client further behind gets a `reset` event instead. */
  streamReplayMax: number;
  alertSweepSeconds: number;
  webhooks: {
    /** The longest wait between two delivery attempts (the backoff doubles from 1 s up to it). */
    maxBackoffSeconds: number;
    /** Attempts after which a delivery is abandoned. */
    maxAttempts: number;
    /** Deliveries may go to loopback, link-local, private and unique-local addresses (tests, a newsroom's own network). */
    allowPrivate: boolean;
  };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Bytes of serialized read answers (as-of lists, digests) kept in memory; 0 turns the cache off. */
  readCacheBytes: number;
  /** GT_SEED: what a new database gets from seeds/ — each cycle document in full, or (`bare`) its councils without their events. */
  seed: 'full' | 'bare';
  db: {
    poolMax: number;
    /** Event transactions (POST /provinces/:slug/events) at once; writes arriving while all are busy share the next one (group commit). */
    writeSlots: number;
    writeBatchPerProvince: number;
    connectionTimeoutMs: number;
    statementTimeoutMs: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SEED_MODES = ['full', 'bare'] as const;

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const str = (name: string): string | null => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? null : raw.trim();
  };

  const databaseUrl = str('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)');
  }
  const adminApiKey = str('ADMIN_API_KEY');
  if (adminApiKey && adminApiKey.length < 16) problems.push('ADMIN_API_KEY must be at least 16 characters');
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = str(name);
    if (raw === null) return fallback;
    if (raw !== 'true' && raw !== 'false') problems.push(`${name} must be true or false (got "${raw}")`);
    return raw === 'true';
  };
  const publicActorName = str('PUBLIC_ACTOR_NAME') ?? 'Newsroom';
  if (publicActorName.length > 100 || /[\u0000-\u001f\u007f]/.test(publicActorName)) {
    problems.push('PUBLIC_ACTOR_NAME must be at most 100 characters, without control characters');
  }
  const publicBaseUrl = baseUrl(str('PUBLIC_BASE_URL'), problems);
  const logLevel = (str('LOG_LEVEL') ?? 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const seed = (str('GT_SEED') ?? 'full') as AppConfig['seed'];
  if (!SEED_MODES.includes(seed)) problems.push(`GT_SEED must be one of ${SEED_MODES.join(', ')} (unset: full)`);

  const config: AppConfig = {
    port: int('PORT', 3000, 0, 65535),
    host: str('HOST') ?? '127.0.0.1',
    databaseUrl,
    dataDir: str('DATA_DIR') ?? './.data',
    adminApiKey,
    publicActorName,
    publicBaseUrl,
    rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', 1200, 0, 10_000_000),
    streamsPerKey: int('STREAMS_PER_KEY', 10, 1, 10_000),
    streamReplayMax: int('STREAM_REPLAY_MAX', 1000, 1, 100_000),
    alertSweepSeconds: int('ALERT_SWEEP_SECONDS', 60, 1, 86_400),
    webhooks: {
      maxBackoffSeconds: int('WEBHOOK_MAX_BACKOFF_SECONDS', 300, 1, 86_400),
      maxAttempts: int('WEBHOOK_MAX_ATTEMPTS', 50, 1, 10_000),
      allowPrivate: bool('WEBHOOK_ALLOW_PRIVATE', false),
    },
    logLevel,
    readCacheBytes: int('READ_CACHE_MB', 32, 0, 4096) * 1024 * 1024,
    seed,
    db: {
      poolMax: int('DB_POOL_MAX', 10, 1, 200),
      // Event transactions at once (group commit): fewer slots, larger batches, less CPU per event. On
      // the 2-core machine of the bench, 2 beat 4 and 8 in every same-run comparison (docs/performance.md).
      writeSlots: int('DB_WRITE_SLOTS', 2, 1, 200),
      // The most events of one province in one such transaction, decided one after another under its one
      // lock (32 connections over 15 provinces keep ~2 of each waiting; docs/performance.md).
      writeBatchPerProvince: int('DB_WRITE_BATCH_PER_PROVINCE', 8, 1, 32),
      connectionTimeoutMs: int('DB_CONNECTION_TIMEOUT_MS', 2000, 100, 60_000),
      statementTimeoutMs: int('DB_STATEMENT_TIMEOUT_MS', 5000, 100, 600_000),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** An absolute http(s) URL without query, fragment or credentials, its trailing slashes dropped (links append `/api/v1/…`). */
function baseUrl(raw: string | null, problems: string[]): string | null {
  if (raw === null) return null;
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username || url.password) {
    problems.push(`PUBLIC_BASE_URL must be an absolute http(s) URL without query, fragment or credentials (got "${raw}")`);
    return null;
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

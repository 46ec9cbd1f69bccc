import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EnvironmentVariables, LogLevel } from './environment';
import { trustProxySetting, withoutPassword } from './value-rules';

export type AppConfigValues = Pick<
  AppConfig,
  'port' | 'host' | 'rootUrl' | 'databaseUrl' | 'dataDir' | 'admin' | 'testMode' | 'logLevel' | 'bodyLimit' | 'uploadLimit' | 'freezeIntegrationScripts' | 'scripts' | 'scriptIsolates' | 'hookRateLimit' | 'outgoing' | 'delivery' | 'loginRateLimit' | 'loginBlock' | 'trustProxy' | 'shutdown' | 'historyRetentionDays' | 'metricsToken' | 'secretsKey' | 'loginExpirationDays' | 'hookHistory' | 'autoDisable'
>;

/** The validated, typed configuration every module reads. Built once at start. */
export class AppConfig {
  readonly port: number;
  /** The address the server listens on. */
  readonly host: string;
  readonly rootUrl: string;
  /** PostgreSQL connection string; undefined means the embedded database. */
  readonly databaseUrl?: string;
  /** Where the embedded database and uploads live; `memory://` keeps the embedded database in memory. */
  readonly dataDir: string;
  readonly admin: { username?: string; password?: string; email?: string };
  readonly testMode: boolean;
  readonly logLevel: LogLevel;
  readonly bodyLimit: number;
  /** Largest uploaded file, in bytes. */
  readonly uploadLimit: number;
  /** FREEZE_INTEGRATION_SCRIPTS: which script engines may not be given new or changed scripts. */
  readonly freezeIntegrationScripts: 'none' | 'all' | 'ivm' | 'vm2';
  /** The script sandbox: off entirely (DISABLE_INTEGRATION_SCRIPTS), and each call's limits. */
  readonly scripts: { disabled: boolean; timeoutMs: number; memoryMb: number };
  /** Script isolates kept alive per process; past it the least recently used is disposed. */
  readonly scriptIsolates: number;
  /** Requests per window per incoming integration; `limit` 0 means no limit. */
  readonly hookRateLimit: { limit: number; windowMs: number };
  /** Logins per window per address; `limit` 0 means no limit. */
  readonly loginRateLimit: { limit: number; windowMs: number };
  /** Rocket.Chat's block of failed logins: failures per user name and per address (0: never), and the block's length. */
  readonly loginBlock: { perUser: number; perAddress: number; blockMs: number };
  /** Fastify's `trustProxy`: whose X-Forwarded-For to believe for the client's address. */
  readonly trustProxy: boolean | string[];
  /** On a stop signal: how long to drain (readiness 503, still serving), then the bound on finishing deliveries. */
  readonly shutdown: { drainMs: number; timeoutMs: number };
  /** Days of outgoing history kept; 0 keeps everything. */
  readonly historyRetentionDays: number;
  /** The bearer token of GET /metrics; undefined turns the endpoint off. */
  readonly metricsToken?: string;
  /** Auto-disable of outgoing integrations whose deliveries all fail: after `hours` (0: never) and at least `failures` attempts. */
  readonly autoDisable: { hours: number; failures: number };
  /** HOOK_HISTORY: which incoming calls are recorded. */
  readonly hookHistory: 'all' | 'errors' | 'off';
  /** Days a login session lasts. */
  readonly loginExpirationDays: number;
  /** SECRETS_KEY: the key of the script secrets; undefined means DATA_DIR/secrets.key. */
  readonly secretsKey?: string;
  /** Where outgoing requests (deliveries, script fetch) may go, besides the fixed denials. */
  readonly outgoing: { allowPrivate: boolean; deny: string[] };
  /** Outgoing deliveries: request time limit, retry delay multiplier, parallel deliveries per process. */
  readonly delivery: { timeoutMs: number; retryDelayScale: number; concurrency: number; perUrlConcurrency: number };

  constructor(values: AppConfigValues) {
    Object.assign(this, values);
  }

  get usesEmbeddedDatabase(): boolean {
    return !this.databaseUrl;
  }

  /** Uploaded files: `DATA_DIR/uploads`, or a per-process temporary folder when DATA_DIR is memory://. */
  get uploadsDir(): string {
    return this.dataDir === 'memory://' ? join(tmpdir(), `hookline-uploads-${process.pid}`) : join(this.dataDir, 'uploads');
  }
}

/** Logins per minute per address when LOGIN_RATE_LIMIT is not set. */
const DEFAULT_LOGIN_RATE_LIMIT = 30;
/** Rocket.Chat's defaults for blocking failed logins. */
const DEFAULT_BLOCK_PER_USER = 10;
const DEFAULT_BLOCK_PER_ADDRESS = 50;

/** Variables that may be given as files (`ADMIN_PASS_FILE=/run/secrets/admin_pass`). */
const SECRET_VARIABLES = ['ADMIN_PASS', 'DATABASE_URL', 'METRICS_TOKEN', 'SECRETS_KEY'] as const;

/** Requests per minute per hook URL when HOOK_RATE_LIMIT is not set: bursts of alerts pass, floods do not. */
const DEFAULT_HOOK_RATE_LIMIT = 300;

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

/** Reads and validates the environment; throws ConfigurationError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new EnvironmentVariables());
  const raw: Record<string, string> = {};
  const problems: string[] = [];
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  // Secrets may come from files (Docker and Kubernetes secrets): NAME_FILE holds NAME's value.
  for (const key of SECRET_VARIABLES) {
    const file = env[`${key}_FILE`];
    if (!file) continue;
    if (key in raw) {
      problems.push(`${key} and ${key}_FILE are both set; keep one`);
      continue;
    }
    try {
      raw[key] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      problems.push(`${key}_FILE names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}) (got ${JSON.stringify(file)})`);
    }
  }
  const vars = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const errors = validateSync(vars, { forbidUnknownValues: false, stopAtFirstError: true });
  problems.push(...errors.map((e) => `${Object.values(e.constraints ?? {})[0] ?? `${e.property} is invalid`} (got ${JSON.stringify(shown(e.property, raw[e.property]))})`));
  if (problems.length > 0) throw new ConfigurationError(problems);
  const dataDir = vars.DATA_DIR === 'memory://' ? vars.DATA_DIR : resolve(vars.DATA_DIR);
  return new AppConfig({
    port: vars.PORT,
    host: vars.HOST,
    rootUrl: (vars.ROOT_URL ?? `http://localhost:${vars.PORT}`).replace(/\/+$/, ''),
    databaseUrl: vars.DATABASE_URL,
    dataDir,
    admin: { username: vars.ADMIN_USERNAME, password: vars.ADMIN_PASS, email: vars.ADMIN_EMAIL },
    testMode: vars.TEST_MODE,
    logLevel: vars.LOG_LEVEL,
    bodyLimit: vars.BODY_LIMIT,
    uploadLimit: vars.UPLOAD_LIMIT,
    freezeIntegrationScripts: freezeSetting(vars.FREEZE_INTEGRATION_SCRIPTS),
    scripts: {
      disabled: ['yes', 'true', 'ivm'].includes(vars.DISABLE_INTEGRATION_SCRIPTS?.trim().toLowerCase() ?? ''),
      timeoutMs: vars.SCRIPT_TIMEOUT_MS,
      memoryMb: vars.SCRIPT_MEMORY_MB,
    },
    scriptIsolates: vars.SCRIPT_ISOLATES_MAX,
    outgoing: {
      allowPrivate: vars.OUTGOING_ALLOW_PRIVATE,
      deny: (vars.OUTGOING_DENY ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    },
    delivery: {
      timeoutMs: vars.DELIVERY_TIMEOUT_MS,
      retryDelayScale: vars.RETRY_DELAY_SCALE,
      concurrency: vars.DELIVERY_CONCURRENCY,
      perUrlConcurrency: Math.min(vars.DELIVERY_PER_URL_CONCURRENCY, vars.DELIVERY_CONCURRENCY),
    },
    hookRateLimit: { limit: vars.HOOK_RATE_LIMIT ?? (vars.TEST_MODE ? 0 : DEFAULT_HOOK_RATE_LIMIT), windowMs: vars.HOOK_RATE_LIMIT_WINDOW_MS },
    loginRateLimit: { limit: vars.LOGIN_RATE_LIMIT ?? (vars.TEST_MODE ? 0 : DEFAULT_LOGIN_RATE_LIMIT), windowMs: 60_000 },
    loginBlock: {
      perUser: vars.LOGIN_BLOCK_FAILURES_PER_USER ?? (vars.TEST_MODE ? 0 : DEFAULT_BLOCK_PER_USER),
      perAddress: vars.LOGIN_BLOCK_FAILURES_PER_ADDRESS ?? (vars.TEST_MODE ? 0 : DEFAULT_BLOCK_PER_ADDRESS),
      blockMs: Math.round(vars.LOGIN_BLOCK_MINUTES * 60_000),
    },
    trustProxy: trustProxySetting(vars.TRUST_PROXY),
    shutdown: { drainMs: vars.SHUTDOWN_DRAIN_MS, timeoutMs: vars.SHUTDOWN_TIMEOUT_MS },
    historyRetentionDays: vars.HISTORY_RETENTION_DAYS,
    metricsToken: vars.METRICS_TOKEN,
    secretsKey: vars.SECRETS_KEY,
    loginExpirationDays: vars.LOGIN_EXPIRATION_DAYS,
    hookHistory: vars.HOOK_HISTORY,
    autoDisable: { hours: vars.DISABLE_AFTER_FAILING_HOURS, failures: vars.DISABLE_AFTER_FAILURES },
  });
}

/** A bad value as it may be printed: passwords left out. */
function shown(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return value;
  if (name === 'ADMIN_PASS' || name === 'METRICS_TOKEN' || name === 'SECRETS_KEY') return '***';
  return name === 'DATABASE_URL' ? withoutPassword(value) : value;
}

/** Rocket.Chat reads yes/true as "every engine", or names one engine. */
function freezeSetting(value: string | undefined): AppConfig['freezeIntegrationScripts'] {
  const v = value?.trim().toLowerCase();
  if (v === 'yes' || v === 'true') return 'all';
  return v === 'ivm' || v === 'vm2' ? v : 'none';
}

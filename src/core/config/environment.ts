import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Max, Min, MinLength, ValidateBy } from 'class-validator';
import { isIP } from 'node:net';
import { integerFromText } from '../http/dto-fields';
import { parseByteSize } from './byte-size';
import { badDenyEntry, isPostgresUrl, isTrustProxy, parseSecretsKey } from './value-rules';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];


const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return value;
};

/** `true` or `false` and nothing else: for switches where a typo must not turn something on. */
const toStrictBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : value;
};

/** Rocket.Chat's script switches: a case-insensitive keyword. */
const toKeyword = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** A whole number from `min` (up to `max`), with one message for every way it can be wrong. */
const WholeNumber = (message: string, min: number, max?: number) =>
  applyDecorators(Transform(integerFromText), IsInt({ message }), Min(min, { message }), ...(max === undefined ? [] : [Max(max, { message })]));

const toBytes = ({ value }: { value: unknown }) => (typeof value === 'string' ? (parseByteSize(value) ?? value) : value);

/** A size in bytes (`1mb`, `512kb`, a number) of at least 1 kB, with one message for every way it can be wrong. */
const ByteSize = (message: string) => applyDecorators(Transform(toBytes), IsInt({ message }), Min(1024, { message }));

/** A number (fractions allowed) of at least `min`, such as a multiplier or a number of minutes. */
const PositiveNumber = (message: string, min: number) =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value)),
    IsNumber({}, { message }),
    Min(min, { message }),
  );

const UPLOAD_LIMIT_RULE = 'UPLOAD_LIMIT must be a size of at least 1kb, such as 10mb, 512kb or a number of bytes';
const BODY_LIMIT_RULE = 'BODY_LIMIT must be a size of at least 1kb, such as 1mb, 512kb or a number of bytes';

/**
 * The environment variables Hookline reads, with their rules: the one list of them (every field
 * is initialised, optional ones to undefined, so loadConfig finds them all). Every field is
 * documented in the README's configuration table; keep the two in step.
 */
export class EnvironmentVariables {
  @WholeNumber('PORT must be a whole number between 0 and 65535', 0, 65535)
  PORT: number = 3000;

  /** The address to listen on: 0.0.0.0 (every interface, the default), 127.0.0.1 (this machine only), ::, or one address. */
  @ValidateBy({ name: 'isHost', validator: { validate: (value: unknown) => typeof value === 'string' && isIP(value) !== 0 } }, { message: 'HOST must be an IP address to listen on, such as 0.0.0.0 or 127.0.0.1' })
  HOST: string = '0.0.0.0';

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'ROOT_URL must be an http(s) URL such as https://chat.example.com' })
  ROOT_URL?: string = undefined;

  @IsOptional()
  @ValidateBy({ name: 'isPostgresUrl', validator: { validate: isPostgresUrl } }, { message: 'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/database' })
  DATABASE_URL?: string = undefined;

  @IsString()
  @MinLength(1, { message: 'DATA_DIR must not be empty' })
  DATA_DIR: string = './data';

  @IsOptional()
  @IsString()
  ADMIN_USERNAME?: string = undefined;

  @IsOptional()
  @IsString()
  ADMIN_PASS?: string = undefined;

  @IsOptional()
  @IsString()
  ADMIN_EMAIL?: string = undefined;

  @Transform(toStrictBool)
  @IsBoolean({ message: 'TEST_MODE must be true or false' })
  TEST_MODE: boolean = false;

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  @ByteSize(BODY_LIMIT_RULE)
  BODY_LIMIT: number = 1024 * 1024;

  @ByteSize(UPLOAD_LIMIT_RULE)
  UPLOAD_LIMIT: number = 10 * 1024 * 1024;

  /** yes/true freezes every script engine; `ivm` or `vm2` only that engine (Rocket.Chat's variable). */
  @IsOptional()
  @Transform(toKeyword)
  @IsIn(['yes', 'true', 'ivm', 'vm2', 'no', 'false'], { message: 'FREEZE_INTEGRATION_SCRIPTS must be yes, true, ivm, vm2, no or false' })
  FREEZE_INTEGRATION_SCRIPTS?: string = undefined;

  /** yes/true/ivm: integrations behave as if they had no script (Rocket.Chat's variable). */
  @IsOptional()
  @Transform(toKeyword)
  @IsIn(['yes', 'true', 'ivm', 'no', 'false'], { message: 'DISABLE_INTEGRATION_SCRIPTS must be yes, true, ivm, no or false' })
  DISABLE_INTEGRATION_SCRIPTS?: string = undefined;

  @WholeNumber('SCRIPT_TIMEOUT_MS must be a whole number of milliseconds between 10 and 60000', 10, 60000)
  SCRIPT_TIMEOUT_MS: number = 2000;

  @WholeNumber('SCRIPT_MEMORY_MB must be a whole number of megabytes between 8 and 1024', 8, 1024)
  SCRIPT_MEMORY_MB: number = 32;

  @WholeNumber('SCRIPT_ISOLATES_MAX must be a whole number of isolates between 1 and 100000', 1, 100000)
  SCRIPT_ISOLATES_MAX: number = 100;

  /** Calls per window per hook URL; 0 turns the limit off. Off by default when TEST_MODE is on. */
  @IsOptional()
  @WholeNumber('HOOK_RATE_LIMIT must be a whole number of requests (0 turns the limit off)', 0)
  HOOK_RATE_LIMIT?: number = undefined;

  @WholeNumber('HOOK_RATE_LIMIT_WINDOW_MS must be a whole number of milliseconds, at least 1000', 1000)
  HOOK_RATE_LIMIT_WINDOW_MS: number = 60000;

  /** Outgoing requests may reach private networks and this host (true by default). */
  @Transform(toBool)
  @IsBoolean({ message: 'OUTGOING_ALLOW_PRIVATE must be true or false' })
  OUTGOING_ALLOW_PRIVATE: boolean = true;

  /** Extra hosts, addresses or CIDR ranges outgoing requests may not reach, comma-separated. */
  @IsOptional()
  @ValidateBy(
    { name: 'isDenyList', validator: { validate: (value: unknown) => typeof value === 'string' && badDenyEntry(value) === undefined } },
    { message: ({ value }) => `OUTGOING_DENY must be a comma-separated list of host names, IP addresses and CIDR ranges; "${badDenyEntry(String(value))}" is none of them` },
  )
  OUTGOING_DENY?: string = undefined;

  /** Default time limit of an outgoing delivery's HTTP call (a script may set its own). */
  @WholeNumber('DELIVERY_TIMEOUT_MS must be a whole number of milliseconds between 100 and 300000', 100, 300000)
  DELIVERY_TIMEOUT_MS: number = 10000;

  /** Multiplies the retry delays of §5.7 (tests use a small value; 1 is Rocket.Chat's timing). */
  @PositiveNumber('RETRY_DELAY_SCALE must be a number above 0, such as 1 or 0.01', 0.0001)
  RETRY_DELAY_SCALE: number = 1;

  /**
   * Outgoing deliveries one server process makes at once; 0 makes none (a process that only
   * serves the API while others deliver). Waiting on a target costs little, and slots taken by
   * slow targets must leave room for the others: hence many.
   */
  @WholeNumber('DELIVERY_CONCURRENCY must be a whole number between 0 and 1000', 0, 1000)
  DELIVERY_CONCURRENCY: number = 256;

  /** Of those, at most this many to one url, so a slow target cannot take every slot. */
  @WholeNumber('DELIVERY_PER_URL_CONCURRENCY must be a whole number between 1 and 1000', 1, 1000)
  DELIVERY_PER_URL_CONCURRENCY: number = 16;

  /** Logins per minute from one address; past it, 429. 0 turns the limit off. Off by default when TEST_MODE is on. */
  @IsOptional()
  @WholeNumber('LOGIN_RATE_LIMIT must be a whole number of requests per minute (0 turns the limit off)', 0)
  LOGIN_RATE_LIMIT?: number = undefined;

  /** Failed logins for one user name before its logins are blocked (Rocket.Chat: 10). 0: never. Off by default when TEST_MODE is on. */
  @IsOptional()
  @WholeNumber('LOGIN_BLOCK_FAILURES_PER_USER must be a whole number (0 never blocks)', 0)
  LOGIN_BLOCK_FAILURES_PER_USER?: number = undefined;

  /** Failed logins from one address before its logins are blocked (Rocket.Chat: 50). 0: never. Off by default when TEST_MODE is on. */
  @IsOptional()
  @WholeNumber('LOGIN_BLOCK_FAILURES_PER_ADDRESS must be a whole number (0 never blocks)', 0)
  LOGIN_BLOCK_FAILURES_PER_ADDRESS?: number = undefined;

  /** How long a block lasts after the last failure (Rocket.Chat: 5 minutes). */
  @PositiveNumber('LOGIN_BLOCK_MINUTES must be a number of minutes above 0, such as 5', 0.001)
  LOGIN_BLOCK_MINUTES: number = 5;

  /** Whose X-Forwarded-For to believe: false (nobody, the default), true (any proxy), or the proxies' addresses and ranges. */
  @IsOptional()
  @ValidateBy(
    { name: 'isTrustProxy', validator: { validate: (value: unknown) => typeof value === 'string' && isTrustProxy(value) } },
    { message: 'TRUST_PROXY must be true, false, or a comma-separated list of the proxies\' IP addresses and CIDR ranges' },
  )
  TRUST_PROXY?: string = undefined;

  /** On SIGTERM/SIGINT, how long readiness answers 503 while requests are still served, before the port closes. */
  @WholeNumber('SHUTDOWN_DRAIN_MS must be a whole number of milliseconds between 0 and 600000', 0, 600000)
  SHUTDOWN_DRAIN_MS: number = 0;

  /** Then how long deliveries in flight may take to finish; the rest are left to their leases (tried again later). */
  @WholeNumber('SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds between 0 and 600000', 0, 600000)
  SHUTDOWN_TIMEOUT_MS: number = 15000;

  /** Hours an outgoing integration's deliveries may all fail before it is disabled (with a notice to its creator); 0 never disables. */
  @PositiveNumber('DISABLE_AFTER_FAILING_HOURS must be a number of hours, 0 or more (0 never disables)', 0)
  DISABLE_AFTER_FAILING_HOURS: number = 72;

  /** …and attempts that must have failed in that time, at least. */
  @WholeNumber('DISABLE_AFTER_FAILURES must be a whole number of attempts, at least 1', 1)
  DISABLE_AFTER_FAILURES: number = 20;

  /** Which incoming webhook calls are recorded in their integration's history: all, errors only, or none. */
  @Transform(toKeyword)
  @IsIn(['all', 'errors', 'off'], { message: 'HOOK_HISTORY must be all, errors or off' })
  HOOK_HISTORY: 'all' | 'errors' | 'off' = 'all';

  /** Days of outgoing history kept; older records are deleted in batches. 0 keeps everything. */
  @WholeNumber('HISTORY_RETENTION_DAYS must be a whole number of days (0 keeps everything)', 0)
  HISTORY_RETENTION_DAYS: number = 30;

  /** Days a login session lasts (Rocket.Chat's Accounts_LoginExpiration, 90); personal access tokens do not expire. */
  @WholeNumber('LOGIN_EXPIRATION_DAYS must be a whole number of days between 1 and 3650', 1, 3650)
  LOGIN_EXPIRATION_DAYS: number = 90;

  /** The key of the script secrets (AES-256-GCM): 64 hex digits or 44 base64 characters. Unset: DATA_DIR/secrets.key, made on first start. */
  @IsOptional()
  @ValidateBy(
    { name: 'isSecretsKey', validator: { validate: (value: unknown) => typeof value === 'string' && parseSecretsKey(value) !== undefined } },
    { message: 'SECRETS_KEY must be 32 bytes: 64 hex digits or 44 base64 characters (openssl rand -base64 32)' },
  )
  SECRETS_KEY?: string = undefined;

  /** The bearer token a Prometheus scraper sends to GET /metrics; unset, /metrics does not exist. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string = undefined;
}

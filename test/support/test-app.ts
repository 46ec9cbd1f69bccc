import 'reflect-metadata';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { AppConfig, AppConfigValues, loadConfig } from '../../src/core/config/app-config';
import { createApp } from '../../src/create-app';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  http: TestAgent;
  close(): Promise<void>;
}

/** Which database this run is against, for test names and the rare database-specific assertion. */
export const databaseKind: 'postgres' | 'embedded' = process.env.DATABASE_URL ? 'postgres' : 'embedded';

/** A new, empty database on the server named by DATABASE_URL; dropped again by `drop`. */
export async function createScratchDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `hookline_t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Boots the real application, as main.ts does, on a database of its own: by default a fresh
 * embedded PostgreSQL in a temporary folder (`DATA_DIR=memory://`), or a fresh database on the
 * PostgreSQL of DATABASE_URL. `TEST_MODE` is on.
 */
export async function startTestApp(overrides: Partial<AppConfigValues> = {}): Promise<TestApp> {
  const serverUrl = process.env.DATABASE_URL;
  const ownDatabase = !('dataDir' in overrides) && !('databaseUrl' in overrides);
  const scratch = serverUrl && ownDatabase ? await createScratchDatabase(serverUrl) : undefined;
  const base = loadConfig({
    TEST_MODE: 'true',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: 'memory://',
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
  });
  const config = new AppConfig({ ...base, ...overrides });
  const app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    config,
    http: request(app.getHttpServer()),
    async close() {
      await app.close();
      await scratch?.drop();
    },
  };
}

/**
 * A database of its own for a server run as a separate process: a scratch database on the
 * PostgreSQL of DATABASE_URL, or an embedded one in a temporary DATA_DIR. `env` goes to the
 * process; `drop` removes the database afterwards.
 */
export async function processDatabase(prefix: string): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL);
    return { env: { DATABASE_URL: scratch.url }, drop: scratch.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), `hookline-${prefix}-`));
  return { env: { DATA_DIR: dir, DATABASE_URL: '' }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

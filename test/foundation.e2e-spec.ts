import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ConfigurationError, loadConfig } from '../src/core/config/app-config';
import { version } from '../package.json';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

describe(`foundation (${databaseKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ bodyLimit: 4096 });
  });
  afterAll(async () => t.close());

  it('GET /api/info answers the package version with exactly application/json', async () => {
    const res = await t.http.get('/api/info').expect(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toEqual({ version, success: true });
  });

  it('GET /health reports the database up', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up', success: true });
  });

  it('an unknown /api/v1 route is a 404 JSON envelope', async () => {
    const res = await t.http.get('/api/v1/nothing').expect(404);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toEqual({ success: false, error: 'Route not found: GET /api/v1/nothing', errorType: 'error-not-found' });
  });

  it('a broken JSON body is a 400 JSON envelope and the server keeps serving', async () => {
    const res = await t.http.post('/api/v1/nothing').set('content-type', 'application/json').send('{"a":').expect(400);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body.success).toBe(false);
    expect(res.body.error).toMatch(/JSON/);
    await t.http.get('/api/info').expect(200);
  });

  it('a body over BODY_LIMIT is a 413 JSON envelope and the server keeps serving', async () => {
    const body = JSON.stringify({ text: 'x'.repeat(5000) });
    const res = await t.http.post('/api/v1/nothing').set('content-type', 'application/json').send(body).expect(413);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toEqual({ success: false, error: expect.stringMatching(/too large/i), errorType: 'error-payload-too-large' });
    await t.http.get('/health').expect(200);
  });

  it('echoes a harmless X-Request-Id and makes one up otherwise', async () => {
    const given = await t.http.get('/api/info').set('x-request-id', 'abc-123').expect(200);
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await t.http.get('/api/info').set('x-request-id', 'bad id\twith spaces').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI document and its UI at /api/docs', async () => {
    const ui = await t.http.get('/api/docs').expect(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    const doc = await t.http.get('/api/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/info', '/health']));
  });

  it('keeps a concurrent write when another transaction rolls back', async () => {
    const ds = t.app.get(DataSource);
    await ds.query('CREATE TABLE tx_probe (label text PRIMARY KEY)');
    let releaseRollback!: () => void;
    const rollbackMayProceed = new Promise<void>((resolve) => (releaseRollback = resolve));
    const doomed = ds
      .transaction(async (manager) => {
        await manager.query(`INSERT INTO tx_probe VALUES ('rolled-back')`);
        await rollbackMayProceed;
        throw new Error('roll back on purpose');
      })
      .catch((e: Error) => e.message);
    // The concurrent write starts while the doomed transaction is open.
    const survivor = ds.query(`INSERT INTO tx_probe VALUES ('survivor')`);
    setTimeout(releaseRollback, 50);
    expect(await doomed).toBe('roll back on purpose');
    await survivor;
    const rows: { label: string }[] = await ds.query('SELECT label FROM tx_probe ORDER BY label');
    expect(rows.map((r) => r.label)).toEqual(['survivor']);
  });

  it('ran migrations at start and never synchronizes', async () => {
    const ds = t.app.get(DataSource);
    expect(ds.options.synchronize).toBe(false);
    const [{ exists }] = await ds.query(`SELECT to_regclass('public.migrations') IS NOT NULL AS exists`);
    expect(exists).toBe(true);
  });
});

describe('embedded database persistence', () => {
  it('keeps data in DATA_DIR across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hookline-data-'));
    try {
      const first = await startTestApp({ dataDir, databaseUrl: undefined });
      await first.app.get(DataSource).query(`CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')`);
      await first.close();
      const second = await startTestApp({ dataDir, databaseUrl: undefined });
      const rows = await second.app.get(DataSource).query('SELECT v FROM kept');
      await second.close();
      expect(rows).toEqual([{ v: 'still here' }]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, rootUrl: 'http://localhost:3000', testMode: false, logLevel: 'info', bodyLimit: 1048576 });
    expect(config.usesEmbeddedDatabase).toBe(true);
    expect(config.dataDir).toMatch(/\/data$/);
  });

  it('reads sizes, booleans and ROOT_URL', () => {
    const config = loadConfig({ BODY_LIMIT: '512kb', TEST_MODE: 'true', PORT: '8080', ROOT_URL: 'https://chat.example.com/' });
    expect(config).toMatchObject({ bodyLimit: 524288, testMode: true, port: 8080, rootUrl: 'https://chat.example.com' });
  });

  it('names every bad variable with a clear message', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', BODY_LIMIT: 'lots', LOG_LEVEL: 'loud', TEST_MODE: 'maybe', ROOT_URL: 'ftp://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const problems = (error as ConfigurationError).problems.join('\n');
    expect(problems).toContain('PORT must be a whole number between 0 and 65535 (got "eighty")');
    expect(problems).toContain('BODY_LIMIT must be a size of at least 1kb, such as 1mb, 512kb or a number of bytes (got "lots")');
    expect(problems).toContain('LOG_LEVEL must be one of');
    expect(problems).toContain('TEST_MODE must be true or false (got "maybe")');
    expect(problems).toContain('ROOT_URL must be an http(s) URL');
  });

  it('reads the delivery concurrency per url, never above the total', () => {
    expect(loadConfig({}).delivery).toMatchObject({ concurrency: 256, perUrlConcurrency: 16 });
    expect(loadConfig({ DELIVERY_CONCURRENCY: '0' }).delivery).toMatchObject({ concurrency: 0, perUrlConcurrency: 0 });
    expect(loadConfig({ DELIVERY_CONCURRENCY: '8', DELIVERY_PER_URL_CONCURRENCY: '12' }).delivery).toMatchObject({ concurrency: 8, perUrlConcurrency: 8 });
    expect(() => loadConfig({ DELIVERY_PER_URL_CONCURRENCY: '0' })).toThrow('DELIVERY_PER_URL_CONCURRENCY must be a whole number between 1 and 1000 (got "0")');
  });
});

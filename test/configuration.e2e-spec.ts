import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, loadConfig } from '../src/core/config/app-config';
import { eventually } from './support/eventually';
import { runUntilExit, startServerProcess } from './support/server-process';
import { createScratchDatabase } from './support/test-app';

jest.setTimeout(60000);

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
};

describe('configuration is parsed strictly', () => {
  it('stops the real server on a DATABASE_URL that is no PostgreSQL URL, naming the variable and the value, with no stack trace', async () => {
    const { code, output } = await runUntilExit({ DATABASE_URL: 'nonsense' });
    expect(code).toBe(1);
    expect(output).toContain('DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/database (got "nonsense")');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('never prints a password it refuses', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://hookline:s3cret-pw@db/hookline' })).toEqual([
      'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/database (got "mysql://hookline:***@db/hookline")',
    ]);
    expect(problemsOf({ DATABASE_URL: 'postgres://hookline:s3cret-pw@db.example.com:5432/hookline' })).toEqual([]);
    expect(problemsOf({ DATABASE_URL: 'postgresql:///hookline?host=/var/run/postgresql' })).toEqual([]);
  });

  it.each([['10.0.0.0/33'], ['999.1.1.1/99'], ['10.0.0.0 /8'], ['999.1.1.1'], ['fe80::zz'], ['bad host']])(
    'refuses the OUTGOING_DENY entry %p instead of taking it for a host name',
    (entry) => {
      const [problem] = problemsOf({ OUTGOING_DENY: `vault.internal, ${entry}` });
      expect(problem).toContain(`OUTGOING_DENY must be a comma-separated list of host names, IP addresses and CIDR ranges; "${entry}" is none of them`);
    },
  );

  it('takes well-formed OUTGOING_DENY entries', () => {
    expect(loadConfig({ OUTGOING_DENY: '10.1.0.0/16, 192.168.1.7,fd00::/8, vault.internal,metadata_host' }).outgoing.deny).toEqual([
      '10.1.0.0/16',
      '192.168.1.7',
      'fd00::/8',
      'vault.internal',
      'metadata_host',
    ]);
  });

  it('reads TRUST_PROXY as true, false or the proxies\' addresses and ranges, and refuses anything else', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'TRUE' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(problemsOf({ TRUST_PROXY: 'proxy.internal' })[0]).toMatch(/^TRUST_PROXY must be true, false, or a comma-separated list/);
  });

  it('accepts only true or false for TEST_MODE, and the script switches only their keywords', () => {
    for (const value of ['yes', '1', 'on', 'TRUE ']) {
      const expected = value.trim().toLowerCase() === 'true' ? [] : [`TEST_MODE must be true or false (got ${JSON.stringify(value)})`];
      expect(problemsOf({ TEST_MODE: value })).toEqual(expected);
    }
    expect(problemsOf({ FREEZE_INTEGRATION_SCRIPTS: 'ye' })).toEqual(['FREEZE_INTEGRATION_SCRIPTS must be yes, true, ivm, vm2, no or false (got "ye")']);
    expect(problemsOf({ DISABLE_INTEGRATION_SCRIPTS: 'vm2' })).toEqual(['DISABLE_INTEGRATION_SCRIPTS must be yes, true, ivm, no or false (got "vm2")']);
    expect(loadConfig({ FREEZE_INTEGRATION_SCRIPTS: 'IVM', DISABLE_INTEGRATION_SCRIPTS: 'No' })).toMatchObject({ freezeIntegrationScripts: 'ivm', scripts: { disabled: false } });
  });

  it('reads secrets from *_FILE variables, and refuses a variable given twice or an unreadable file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookline-secrets-'));
    try {
      writeFileSync(join(dir, 'admin_pass'), 'from-a-file\n');
      writeFileSync(join(dir, 'database_url'), 'postgres://u:p@db/hookline');
      expect(loadConfig({ ADMIN_PASS_FILE: join(dir, 'admin_pass'), DATABASE_URL_FILE: join(dir, 'database_url') })).toMatchObject({
        admin: { password: 'from-a-file' },
        databaseUrl: 'postgres://u:p@db/hookline',
      });
      expect(problemsOf({ ADMIN_PASS: 'x', ADMIN_PASS_FILE: join(dir, 'admin_pass') })).toEqual(['ADMIN_PASS and ADMIN_PASS_FILE are both set; keep one']);
      expect(problemsOf({ ADMIN_PASS_FILE: join(dir, 'missing') })[0]).toMatch(/^ADMIN_PASS_FILE names a file that cannot be read \(ENOENT\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('start-up settings of a real server', () => {
  it('warns at start when TEST_MODE is on, and creates the administrator from ADMIN_PASS_FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookline-secrets-'));
    writeFileSync(join(dir, 'admin_pass'), 'file-password-123\n');
    const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL) : undefined;
    const server = await startServerProcess({
      ...(scratch ? { DATABASE_URL: scratch.url } : { DATA_DIR: 'memory://' }),
      LOG_LEVEL: 'warn',
      TEST_MODE: 'true',
      ADMIN_USERNAME: 'file.admin',
      ADMIN_EMAIL: 'file.admin@example.com',
      ADMIN_PASS_FILE: join(dir, 'admin_pass'),
    });
    try {
      expect(server.output()).toContain('TEST_MODE is on');
      const login = await fetch(`${server.url}/api/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'file.admin', password: 'file-password-123' }),
      });
      expect(login.status).toBe(200);
    } finally {
      await server.kill('SIGTERM');
      await scratch?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints a short summary at start instead of a line per route, and listens on HOST', async () => {
    const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL) : undefined;
    const server = await startServerProcess({ ...(scratch ? { DATABASE_URL: scratch.url } : { DATA_DIR: 'memory://' }), LOG_LEVEL: 'info', HOST: '127.0.0.1' });
    try {
      // /health answers as soon as the port is open; the summary is logged just after (it counts the
      // administrators). Its own words are waited for: TEST_MODE's warning names an administrator too.
      const output = await eventually(async () => server.output(), (out) => /\d+ administrators?;|No administrator yet/.test(out), 10000);
      expect(output).toMatch(/Hookline \d+\.\d+\.\d+ listening on 127\.0\.0\.1:\d+ \(public URL http:\/\/localhost:\d+\); database: /);
      expect(output).toContain('1 administrator');
      expect(output).not.toContain('Mapped {');
      expect(output).not.toContain('dependencies initialized');
      if (scratch) expect(output).not.toContain(new URL(scratch.url).password || 'never-printed');
    } finally {
      await server.kill('SIGTERM');
      await scratch?.drop();
    }
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RocketChatImportService } from '../src/integrations/import/rocketchat-import.service';
import { fetchIntegrations, readExportFile } from '../src/integrations/import/rocketchat-source';
import { User } from '../src/users/entities/user.entity';
import { UsersService } from '../src/users/users.service';
import { Client, createUser, FORBIDDEN, loginAsAdmin, TEST_ADMIN } from './support/api';
import { eventually } from './support/eventually';
import { createIntegration, incomingBody, outgoingBody } from './support/integrations';
import { adminOf, freePort, ROOT, ServerProcess, startServerProcess } from './support/server-process';
import { Sink } from './support/sink';
import { createScratchDatabase, databaseKind, processDatabase, startTestApp, TestApp } from './support/test-app';

/** Moving from Rocket.Chat: a second Hookline (it speaks Rocket.Chat's API) is the source. */
jest.setTimeout(120000);

describe(`import from Rocket.Chat (${databaseKind})`, () => {
  // The source runs as a process of its own (passport's strategies are process-wide: two apps in one process would share one).
  let source: ServerProcess;
  let dropSource: () => Promise<void>;
  let target: TestApp;
  let sourceAdmin: Awaited<ReturnType<typeof adminOf>>;
  let admin: Client;
  let actor: User;
  let sink: Sink;
  beforeAll(async () => {
    sink = await Sink.start();
    const database = await processDatabase('import-source');
    dropSource = database.drop;
    [source, target] = await Promise.all([startServerProcess({ ...database.env, OUTGOING_ALLOW_PRIVATE: 'true' }), startTestApp()]);
    sourceAdmin = await adminOf(source.url);
    admin = await loginAsAdmin(target);
    actor = (await target.app.get(UsersService).findByExactUsername(TEST_ADMIN)) as User;
  });
  afterAll(async () => {
    await source.kill('SIGTERM');
    await dropSource();
    await target.close();
    await sink.close();
  });

  const importer = () => target.app.get(RocketChatImportService);
  const fromSource = () => fetchIntegrations(source.url, sourceAdmin.userId, sourceAdmin.authToken, undefined, 2);
  const createAtSource = async (body: Record<string, unknown>) => {
    const res = await sourceAdmin.post('/api/v1/integrations.create', body);
    if (!res.success) throw new Error(`integrations.create at the source failed: ${JSON.stringify(res)}`);
    return res.integration as Record<string, any>;
  };

  it('plans without writing, imports keeping ids and tokens, makes missing users and rooms, and changes nothing the second time', async () => {
    expect((await sourceAdmin.post('/api/v1/channels.create', { name: 'only-in-source' })).success).toBe(true);
    expect((await sourceAdmin.post('/api/v1/users.create', { username: 'source.bot', name: 'Source Bot', email: 'bot@example.com', password: 'pw-source-bot' })).success).toBe(true);
    const script = `class Script { process_incoming_request({ request }) { shout = request.content.text.toUpperCase(); return { content: { text: shout } }; } }`;
    const incoming = await createAtSource(incomingBody({ name: 'from source', username: 'source.bot', channel: '#only-in-source', scriptEnabled: true, script, alias: 'Src', emoji: ':rocket:' }));
    const outgoing = await createAtSource(outgoingBody({ name: 'to sink', urls: [`${sink.url}/imported`], triggerWords: ['!go'], retryFailedCalls: true, retryCount: 3, retryDelay: 'powers-of-two', token: 'out-token' }));
    for (let i = 0; i < 3; i++) await createAtSource(incomingBody({ name: `filler ${i}` }));

    const docs = await fromSource();
    expect(docs).toHaveLength(5); // read a page of 2 at a time

    const planned = await importer().run(docs, { dryRun: true, actor });
    expect(planned.map((l) => l.outcome)).toEqual(['create', 'create', 'create', 'create', 'create']);
    expect(planned.find((l) => l.id === incoming._id)?.notes).toEqual(['would create user source.bot (no password)', 'would create room #only-in-source']);
    expect((await admin.get('/api/v1/integrations.list', { count: 100 }).expect(200)).body.total).toBe(0);

    const done = await importer().run(docs, { actor });
    expect(done.map((l) => l.outcome)).toEqual(['create', 'create', 'create', 'create', 'create']);
    const imported = (await admin.get('/api/v1/integrations.get', { integrationId: incoming._id }).expect(200)).body.integration;
    expect(imported).toMatchObject({
      _id: incoming._id,
      token: incoming.token,
      name: 'from source',
      username: 'source.bot',
      alias: 'Src',
      emoji: ':rocket:',
      channel: ['#only-in-source'],
      scriptEnabled: true,
      script,
      _createdAt: incoming._createdAt,
      _createdBy: incoming._createdBy,
      _updatedBy: { _id: actor.id },
    });
    expect(imported.scriptError).toBeUndefined();
    const importedOut = (await admin.get('/api/v1/integrations.get', { integrationId: outgoing._id }).expect(200)).body.integration;
    expect(importedOut).toMatchObject({ event: 'sendMessage', urls: [`${sink.url}/imported`], triggerWords: ['!go'], retryFailedCalls: true, retryCount: 3, retryDelay: 'powers-of-two', token: 'out-token' });

    // The source's hook URL works here.
    await target.http.post(`/hooks/${incoming._id}/${incoming.token}`).send({ text: 'moved' }).expect(200);
    const room = (await admin.get('/api/v1/channels.info', { roomName: 'only-in-source' }).expect(200)).body.channel;
    const [message] = (await admin.get('/api/v1/channels.messages', { roomId: room._id, count: 1 }).expect(200)).body.messages;
    expect(message).toMatchObject({ msg: 'MOVED', alias: 'Src', u: { username: 'source.bot' } });
    // The imported outgoing integration fires here.
    await admin.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: '!go now' }).expect(200);
    const [arrival] = await eventually(async () => sink.at('/imported'), (a) => a.length === 1);
    expect(arrival.json).toMatchObject({ text: '!go now', token: 'out-token', trigger_word: '!go' });

    const again = await importer().run(await fromSource(), { actor });
    expect(again.map((l) => l.outcome)).toEqual(['skip', 'skip', 'skip', 'skip', 'skip']);
    // A change at the source is an update here.
    expect((await sourceAdmin.put('/api/v1/integrations.update', { ...incomingBody({ name: 'renamed at source', username: 'source.bot', channel: '#only-in-source', scriptEnabled: true, script }), integrationId: incoming._id })).success).toBe(true);
    const updated = await importer().run(await fromSource(), { actor });
    expect(updated.find((l) => l.id === incoming._id)?.outcome).toBe('update');
  });

  it('reads a mongoexport file ($date values, scripts with implicit globals) and skips a bad document without stopping', async () => {
    const docs = readExportFile(join(ROOT, 'test', 'fixtures', 'rocketchat-integrations.json'));
    const lines = await importer().run(docs, { actor });
    expect(lines.map((l) => [l.name, l.outcome, l.reason])).toEqual([
      ['GitHub pushes', 'create', undefined],
      ['Ops bot', 'create', undefined],
      ['?', 'fail', 'no name'],
    ]);
    const github = (await admin.get('/api/v1/integrations.get', { integrationId: 'QyTTfGyH8pGHmyRr3' }).expect(200)).body.integration;
    expect(github).toMatchObject({ _createdAt: '2021-03-04T10:11:12.000Z', _createdBy: { _id: 'hE7gNDbe5Ec6AzCkZ', username: 'jane.admin' }, scriptCompiled: expect.any(String) });
    await target.http
      .post('/hooks/QyTTfGyH8pGHmyRr3/mRbmB2EbAsyTWkqD7ShSbDxvfb5fZJy5ckNf6eHMGyPuq7eK')
      .send({ commits: [{}, {}], repository: { full_name: 'acme/app' } })
      .expect(200);
    const room = (await admin.get('/api/v1/channels.info', { roomName: 'dev-feed' }).expect(200)).body.channel;
    const [message] = (await admin.get('/api/v1/channels.messages', { roomId: room._id, count: 1 }).expect(200)).body.messages;
    expect(message.msg).toBe('2 new commit(s) to acme/app');
  });

  it('reports a conflict when an imported token belongs to another integration here', async () => {
    const mine = await createIntegration(admin, incomingBody({ name: 'already here' }));
    const lines = await importer().run([{ _id: 'OtherId1234567890', type: 'webhook-incoming', name: 'clash', enabled: true, username: 'rocket.cat', channel: ['#general'], token: mine.token }], { actor });
    expect(lines).toEqual([expect.objectContaining({ outcome: 'conflict', reason: `its token belongs to integration ${mine._id} here` })]);
  });

  it('stores text PostgreSQL cannot hold (a NUL, a lone surrogate) as U+FFFD instead of failing the integration', async () => {
    const lines = await importer().run(
      [{ _id: 'NulInName12345678', type: 'webhook-incoming', name: 'nul\u0000here \ud800', enabled: true, username: 'rocket.cat', channel: ['#general'], token: 'tok-nul-1234567890', alias: 'a\u0000b' }],
      { actor },
    );
    expect(lines).toEqual([expect.objectContaining({ outcome: 'create' })]);
    const stored = (await admin.get('/api/v1/integrations.get', { integrationId: 'NulInName12345678' }).expect(200)).body.integration;
    expect(stored).toMatchObject({ name: 'nul\ufffdhere \ufffd', alias: 'a\ufffdb' });
  });

  it.each([
    ['an unreachable server', async () => fetchIntegrations(`http://127.0.0.1:${await freePort()}`, 'u', 't'), /^cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED$/],
    ['a wrong token', () => fetchIntegrations(source.url, sourceAdmin.userId, 'wrong'), /refused the user id and token \(401\)/],
  ])('says plainly what is wrong with %s', async (_, attempt, message) => {
    await expect(attempt()).rejects.toThrow(message);
  });

  it('the command refuses a file that is not JSON, and missing arguments, in one line and exit code 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookline-import-'));
    writeFileSync(join(dir, 'bad.json'), 'not json {');
    const run = (args: string[]) => spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/import-rocketchat.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    const bad = run(['--file', join(dir, 'bad.json')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^import:rocketchat: .*bad\.json is not JSON/)]);
    const none = run([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('usage: npm run import:rocketchat');
  });

  it('the command plans a file import against its own database: a line per integration, a summary, exit code 1 for the bad one', async () => {
    const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL) : undefined;
    const dir = mkdtempSync(join(tmpdir(), 'hookline-import-cli-'));
    try {
      const env = { ...process.env, NODE_OPTIONS: '', TEST_MODE: 'true', DATA_DIR: dir, DATABASE_URL: scratch?.url ?? '' };
      const result = spawnSync(process.execPath, ['--no-node-snapshot', '-r', 'ts-node/register/transpile-only', 'src/import-rocketchat.ts', '--file', join(ROOT, 'test', 'fixtures', 'rocketchat-integrations.json'), '--dry-run'], { cwd: ROOT, encoding: 'utf8', env });
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 1, stderr: '' });
      const lines = result.stdout.trim().split('\n');
      expect(lines).toEqual([
        expect.stringMatching(/^create +QyTTfGyH8pGHmyRr3 +webhook-incoming +GitHub pushes +\(would create user github\.bot \(no password\); would create room #dev-feed\)$/),
        expect.stringMatching(/^create +Nw7jK2qWb8RtEvXy4 +webhook-outgoing +Ops bot$/),
        expect.stringMatching(/^fail +Broken1234567890x +webhook-incoming +\? +\(no name\)$/),
        'dry run, nothing written: 2 to create, 0 to update, 0 unchanged, 0 conflicts, 1 failed',
      ]);
    } finally {
      await scratch?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Runs a command (src/<name>.ts) on its own database, as `npm run` would; TEST_MODE off unless given. */
  const command = (name: string, args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, ['--no-node-snapshot', '-r', 'ts-node/register/transpile-only', `src/${name}.ts`, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '', TEST_MODE: '', DATABASE_URL: '', ...env },
    });

  it('imports through the running server: integrations.import plans, applies, and needs both all-integrations permissions', async () => {
    const created = await createAtSource(incomingBody({ name: 'through the API' }));
    const server = { url: source.url, userId: sourceAdmin.userId, token: sourceAdmin.authToken };
    const planned = (await admin.post('/api/v1/integrations.import', { ...server, dryRun: true }).expect(200)).body;
    expect(planned).toMatchObject({ dryRun: true, success: true });
    const line = planned.integrations.find((l: { _id: string }) => l._id === created._id);
    expect(line).toMatchObject({ outcome: 'create', type: 'webhook-incoming', name: 'through the API' });
    expect(planned.summary.create).toBeGreaterThanOrEqual(1);
    await admin.get('/api/v1/integrations.get', { integrationId: created._id }).expect(400);

    const applied = (await admin.post('/api/v1/integrations.import', server).expect(200)).body;
    expect(applied.integrations.find((l: { _id: string }) => l._id === created._id).outcome).toBe('create');
    expect((await admin.get('/api/v1/integrations.get', { integrationId: created._id }).expect(200)).body.integration.token).toBe(created.token);
    const again = (await admin.post('/api/v1/integrations.import', server).expect(200)).body;
    expect(again.summary).toMatchObject({ create: 0, update: 0, conflict: 0, fail: 0 });

    // Exported documents work as a source too.
    const documents = readExportFile(join(ROOT, 'test', 'fixtures', 'rocketchat-integrations.json'));
    const fromFile = (await admin.post('/api/v1/integrations.import', { documents, dryRun: true }).expect(200)).body;
    expect(fromFile.integrations.map((l: { _id: string; outcome: string }) => [l._id, l.outcome])).toEqual([
      ['QyTTfGyH8pGHmyRr3', expect.stringMatching(/^(create|skip)$/)],
      ['Nw7jK2qWb8RtEvXy4', expect.stringMatching(/^(create|skip)$/)],
      ['Broken1234567890x', 'fail'],
    ]);

    expect((await admin.post('/api/v1/integrations.import', { ...server, documents }).expect(400)).body.error).toContain('either url, userId and token');
    expect((await admin.post('/api/v1/integrations.import', { url: source.url }).expect(400)).body.error).toContain('url, userId and token together');
    expect((await admin.post('/api/v1/integrations.import', { url: 'http://127.0.0.1:9', userId: 'x', token: 'y', dryRun: true }).expect(400)).body.error).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:9/);

    const user = await createUser(target, admin, { roles: ['user'] });
    expect((await user.post('/api/v1/integrations.import', { documents, dryRun: true }).expect(403)).body).toEqual(FORBIDDEN);
    await admin.post('/api/v1/permissions.update', { permissions: [{ _id: 'manage-incoming-integrations', roles: ['admin', 'user'] }] }).expect(200);
    try {
      // One of the two is not enough: an import writes both kinds, for any creator.
      expect((await user.post('/api/v1/integrations.import', { documents, dryRun: true }).expect(403)).body).toEqual(FORBIDDEN);
      await user.get('/api/v1/integrations.export').expect(403);
    } finally {
      await admin.post('/api/v1/permissions.update', { permissions: [{ _id: 'manage-incoming-integrations', roles: ['admin'] }] }).expect(200);
    }
  });

  it("round trip: Hookline's export, imported into an empty Hookline by the command with no administrator there, gives the same integrations", async () => {
    await createAtSource(incomingBody({ name: 'round trip in', alias: 'RT', emoji: ':tada:' }));
    await createAtSource(outgoingBody({ name: 'round trip out', urls: [`${sink.url}/round`], triggerWords: ['!rt'], token: 'rt-token', scriptEnabled: true, script: 'class Script { prepare_outgoing_request({ request }) { return request; } }' }));
    const exported = (await sourceAdmin.get('/api/v1/integrations.export')) as { integrations: Record<string, any>[]; success: boolean };
    expect(exported.success).toBe(true);
    expect(exported.integrations.length).toBeGreaterThanOrEqual(2);
    for (const document of exported.integrations) {
      expect(document._createdAt).toEqual({ $date: expect.any(String) });
      expect(document).not.toHaveProperty('signingSecret');
      expect(document).not.toHaveProperty('stats');
    }
    const dir = mkdtempSync(join(tmpdir(), 'hookline-round-trip-'));
    const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL) : undefined;
    try {
      writeFileSync(join(dir, 'export.json'), JSON.stringify(exported.integrations));
      const env = { DATA_DIR: join(dir, 'data'), DATABASE_URL: scratch?.url ?? '' };
      const imported = command('import-rocketchat', ['--file', join(dir, 'export.json')], env);
      expect({ status: imported.status, stderr: imported.stderr }).toEqual({ status: 0, stderr: '' });
      expect(imported.stdout).toMatch(/created user rocketchat\.internal\.admin\.test \(no password\) to write it as/);
      const again = command('export-rocketchat', ['--file', join(dir, 'again.json')], env);
      expect(again.status).toBe(0);
      const back = JSON.parse(readFileSync(join(dir, 'again.json'), 'utf8')) as Record<string, any>[];
      // The same integrations: ids, tokens, scripts, names, creators and every setting; only the
      // last edit (now, by the user the document names) and the post-as users' new ids differ.
      const comparable = ({ _updatedAt: _a, _updatedBy: _b, userId: _u, ...rest }: Record<string, any>) => rest;
      expect(back.map(comparable)).toEqual(exported.integrations.map(comparable));
      const editor = (d: Record<string, any>) => d._updatedBy?.username ?? d._createdBy.username;
      expect(back.map((d) => d._updatedBy.username)).toEqual(exported.integrations.map(editor));
    } finally {
      await scratch?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const onEmbedded = databaseKind === 'embedded' ? it : it.skip;
  onEmbedded('the command points to the running server that holds its DATA_DIR instead of failing on the lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookline-held-'));
    const server = await startServerProcess({ DATABASE_URL: undefined as unknown as string, DATA_DIR: dir, ROOT_URL: 'http://hookline.example:3000' });
    try {
      const held = command('import-rocketchat', ['--file', join(ROOT, 'test', 'fixtures', 'rocketchat-integrations.json'), '--dry-run'], { DATA_DIR: dir, ROOT_URL: 'http://hookline.example:3000' });
      expect(held.status).toBe(2);
      expect(held.stderr.trim().split('\n')).toEqual([expect.stringContaining(`a Hookline server (pid ${server.child.pid}) is running on ${dir}`)]);
      expect(held.stderr).toContain('http://hookline.example:3000/ui/import');
      expect(held.stderr).toContain('POST http://hookline.example:3000/api/v1/integrations.import');
      const exporting = command('export-rocketchat', [], { DATA_DIR: dir, ROOT_URL: 'http://hookline.example:3000' });
      expect(exporting.status).toBe(2);
      expect(exporting.stderr).toContain('GET http://hookline.example:3000/api/v1/integrations.export');
    } finally {
      await server.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RocketChatImportService } from '../src/integrations/import/rocketchat-import.service';
import { fetchIntegrations, readExportFile } from '../src/integrations/import/rocketchat-source';
import { User } from '../src/users/entities/user.entity';
import { UsersService } from '../src/users/users.service';
import { Client, loginAsAdmin, TEST_ADMIN } from './support/api';
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
  const fromSource = () => fetchIntegrations(source.url, sourceAdmin.userId, sourceAdmin.authToken, 2);
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
});

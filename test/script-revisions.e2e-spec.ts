import { Client, loginAsAdmin } from './support/api';
import { createIntegration, incomingBody, meteorError, outgoingBody } from './support/integrations';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

const say = (text: string) => `class Script { process_incoming_request() { return { content: { text: '${text}' } }; } }`;

/** Every change of a script is kept; an old one can be made current again. */
describe(`script revisions (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp({ scripts: { disabled: false, timeoutMs: 1000, memoryMb: 16 } });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => t.close());

  const revisionsOf = async (id: string, extra: Record<string, unknown> = {}) =>
    (await admin.get('/api/v1/integrations.revisions', { integrationId: id, ...extra }).expect(200)).body;
  const update = (id: string, fields: Record<string, unknown>) =>
    admin.put('/api/v1/integrations.update', { ...incomingBody(fields), integrationId: id }).expect(200);
  const hookText = async (hook: Record<string, any>) => {
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({}).expect(200);
    return (await admin.get('/api/v1/channels.messages', { roomId: 'GENERAL', count: 1 }).expect(200)).body.messages[0].msg as string;
  };

  it('keeps a revision per change of the script or of whether it runs, and reverts to any of them', async () => {
    const hook = await createIntegration(admin, incomingBody({ scriptEnabled: true, script: say('first') }));
    await update(hook._id, { scriptEnabled: true, script: say('second') });
    await update(hook._id, { scriptEnabled: true, script: say('second'), name: 'renamed only' });
    await update(hook._id, { scriptEnabled: false, script: say('second') });
    const listed = await revisionsOf(hook._id);
    expect(listed).toMatchObject({ offset: 0, count: 3, total: 3, success: true });
    expect(listed.revisions.map((r: Record<string, unknown>) => [r.revision, r.script, r.scriptEnabled])).toEqual([
      [3, say('second'), false],
      [2, say('second'), true],
      [1, say('first'), true],
    ]);
    expect(listed.revisions[2]).toMatchObject({ scriptCompiled: expect.any(String), _createdAt: expect.any(String), _createdBy: { _id: admin.userId } });

    const reverted = await admin.post('/api/v1/integrations.revert', { integrationId: hook._id, revision: 1 }).expect(200);
    expect(reverted.body.integration).toMatchObject({ _id: hook._id, script: say('first'), scriptEnabled: true, _updatedBy: { _id: admin.userId } });
    expect(await hookText(hook)).toBe('first');
    const after = await revisionsOf(hook._id, { count: 2 });
    expect(after).toMatchObject({ count: 2, total: 4 });
    expect(after.revisions.map((r: Record<string, unknown>) => [r.revision, r.script])).toEqual([
      [4, say('first')],
      [3, say('second')],
    ]);
    expect((await revisionsOf(hook._id, { offset: 3 })).revisions.map((r: { revision: number }) => r.revision)).toEqual([1]);
  });

  it('keeps revisions of outgoing scripts, and a revert of the current state is a revision too', async () => {
    const outgoing = await createIntegration(admin, outgoingBody({ scriptEnabled: true, script: 'class Script {}' }));
    await admin.post('/api/v1/integrations.revert', { integrationId: outgoing._id, revision: 1 }).expect(200);
    expect((await revisionsOf(outgoing._id)).revisions.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
  });

  it.each([
    ['an unknown revision', (id: string) => ({ integrationId: id, revision: 99 }), meteorError('error-invalid-revision', 'Invalid revision')],
    ['an unknown integration', () => ({ integrationId: 'no-such-integration', revision: 1 }), meteorError('error-invalid-integration', 'Invalid integration')],
  ])('refuses to revert to %s', async (_, body, error) => {
    const hook = await createIntegration(admin, incomingBody({ scriptEnabled: true, script: say('x') }));
    const res = await admin.post('/api/v1/integrations.revert', body(hook._id)).expect(400);
    expect(res.body).toMatchObject(error);
  });

  it.each([
    ['no integrationId', {}],
    ['revision 0', { integrationId: 'x', revision: 0 }],
    ['a fractional revision', { integrationId: 'x', revision: 1.5 }],
    ['a revision given as text', { integrationId: 'x', revision: 'one' }],
  ])('refuses a revert with %s', async (_, body) => {
    expect((await admin.post('/api/v1/integrations.revert', body).expect(400)).body).toMatchObject({ success: false, errorType: 'invalid-params' });
  });

  it('refuses a revisions query without integrationId or with a bad count', async () => {
    expect((await admin.get('/api/v1/integrations.revisions', {}).expect(400)).body).toMatchObject({ errorType: 'invalid-params' });
    expect((await admin.get('/api/v1/integrations.revisions', { integrationId: 'x', count: -1 }).expect(400)).body).toMatchObject({ errorType: 'invalid-params' });
  });
});

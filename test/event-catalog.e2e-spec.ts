import Ajv2020 from 'ajv/dist/2020';
import { Client, createUser, FORBIDDEN } from './support/api';
import { DeliveringApp, startDeliveringApp, stopDeliveringApp } from './support/delivering-app';
import { eventually } from './support/eventually';
import { createIntegration, incomingBody, outgoingBody } from './support/integrations';
import { Sink } from './support/sink';
import { databaseKind, TestApp } from './support/test-app';

/**
 * integrations.events: each outgoing event's body schema, checked against what Hookline really
 * delivers for every event — a field added to or dropped from a delivery fails here.
 */
describe(`the outgoing event catalog (${databaseKind})`, () => {
  let app: DeliveringApp;
  let t: TestApp;
  let admin: Client;
  let sink: Sink;
  let catalog: { event: string; label: string; description: string; schema: Record<string, unknown>; example: Record<string, unknown> }[];
  const ajv = new Ajv2020({ allErrors: true, strict: true });

  beforeAll(async () => {
    ({ t, admin, sink } = app = await startDeliveringApp());
    catalog = (await admin.get('/api/v1/integrations.events').expect(200)).body.events;
  });
  afterAll(() => stopDeliveringApp(app));

  const validate = (event: string, body: unknown) => {
    const entry = catalog.find((e) => e.event === event);
    if (!entry) throw new Error(`no ${event} in the catalog`);
    const check = ajv.compile(entry.schema);
    return check(body) ? 'valid' : ajv.errorsText(check.errors);
  };

  it('lists the seven events, each with words, a schema its own example satisfies, to any integrations manager only', async () => {
    expect(catalog.map((e) => [e.event, e.label])).toEqual([
      ['sendMessage', 'Message Sent'],
      ['fileUploaded', 'File Uploaded'],
      ['roomArchived', 'Room Archived'],
      ['roomCreated', 'Room Created'],
      ['roomJoined', 'User Joined Room'],
      ['roomLeft', 'User Left Room'],
      ['userCreated', 'User Created'],
    ]);
    for (const entry of catalog) {
      expect(entry.description.length).toBeGreaterThan(20);
      expect({ event: entry.event, example: validate(entry.event, entry.example) }).toEqual({ event: entry.event, example: 'valid' });
    }
    const user = await createUser(t, admin, { roles: ['user'] });
    expect((await user.get('/api/v1/integrations.events').expect(403)).body).toEqual(FORBIDDEN);
  });

  it('describes every real delivery of every event, optional fields included, and refuses one with a field more or less', async () => {
    const room = (await admin.post('/api/v1/channels.create', { name: 'catalogued' }).expect(200)).body.channel;
    const listen = (event: string, extra: Record<string, unknown> = {}) =>
      createIntegration(admin, outgoingBody({ name: `catalog ${event}`, event, channel: `#${room._id}`, urls: [`${sink.url}/catalog/${event}`], token: `tok-${event}`, ...extra }));
    await listen('sendMessage', { runOnEdits: true });
    await listen('sendMessage', { name: 'catalog triggered', urls: [`${sink.url}/catalog/triggered`], triggerWords: ['deploy'] });
    await listen('fileUploaded');
    await listen('roomArchived', { channel: '' });
    await listen('roomCreated', { channel: '' });
    await listen('roomJoined');
    await listen('roomLeft');
    await listen('userCreated', { channel: '', targetRoom: `#${room._id}` });

    const posted = (await admin.post('/api/v1/chat.postMessage', { roomId: room._id, text: 'plain' }).expect(200)).body.message;
    // A bot's message with an alias, through an incoming integration.
    const hook = await createIntegration(admin, incomingBody({ channel: `#${room.name}`, alias: 'Build bot' }));
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: 'from the build' }).expect(200);
    await admin.post('/api/v1/chat.postMessage', { roomId: room._id, text: 'in a thread', tmid: posted._id }).expect(200);
    await admin.post('/api/v1/chat.update', { roomId: room._id, msgId: posted._id, text: 'edited' }).expect(200);
    await admin.post('/api/v1/chat.postMessage', { roomId: room._id, text: 'deploy now' }).expect(200);
    await admin.post(`/api/v1/rooms.upload/${room._id}`).attach('file', Buffer.from('log lines'), { filename: 'build.log', contentType: 'text/plain' }).field('msg', 'the log').expect(200);
    const joiner = await createUser(t, admin, { roles: ['user'] });
    await joiner.post('/api/v1/channels.join', { roomId: room._id }).expect(200);
    await joiner.post('/api/v1/channels.leave', { roomId: room._id }).expect(200);
    const other = (await admin.post('/api/v1/channels.create', { name: 'to-archive' }).expect(200)).body.channel;
    await admin.post('/api/v1/channels.archive', { roomId: other._id }).expect(200);

    const at = (path: string, count: number) => eventually(async () => sink.at(`/catalog/${path}`), (a) => a.length >= count, 10_000);
    const deliveries: [string, Record<string, unknown>][] = [];
    for (const body of await at('sendMessage', 6)) deliveries.push(['sendMessage', body.json]);
    for (const body of await at('triggered', 1)) deliveries.push(['sendMessage', body.json]);
    for (const event of ['fileUploaded', 'roomJoined', 'roomLeft', 'userCreated']) for (const body of await at(event, 1)) deliveries.push([event, body.json]);
    for (const body of await at('roomCreated', 1)) deliveries.push(['roomCreated', body.json]);
    for (const body of await at('roomArchived', 1)) deliveries.push(['roomArchived', body.json]);

    // The optional fields were really seen, so their schemas were really checked.
    const seen = new Set(deliveries.flatMap(([, body]) => Object.keys(body)));
    for (const field of ['alias', 'tmid', 'isEdited', 'trigger_word', 'token', 'message', 'owner', 'room', 'user', 'siteUrl']) expect([field, seen.has(field)]).toEqual([field, true]);
    for (const [event, body] of deliveries) expect({ event, body, verdict: validate(event, body) }).toEqual({ event, body, verdict: 'valid' });

    // A field more, or one fewer, is refused.
    const [, sample] = deliveries[0];
    expect(validate('sendMessage', { ...sample, surprise: 1 })).toMatch(/must NOT have additional properties/);
    const { user_id: _dropped, ...fewer } = sample;
    expect(validate('sendMessage', fewer)).toMatch(/must have required property 'user_id'/);
  });
});

import { DataSource } from 'typeorm';
import { Client, loginAsAdmin } from './support/api';
import { eventually, settle } from './support/eventually';
import { createIntegration, incomingBody, outgoingBody } from './support/integrations';
import { Sink } from './support/sink';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

const TOKEN = 'metrics-token-for-coalesced-posts';

/** Posts that come together and that no integration listens to share one statement (MessagesService). */
describe(`posts that come together (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  let hookUrl: string;
  let roomId: string;
  beforeAll(async () => {
    t = await startTestApp({ metricsToken: TOKEN });
    admin = await loginAsAdmin(t);
    roomId = (await admin.post('/api/v1/channels.create', { name: 'coalesced' }).expect(200)).body.channel._id;
    const hook = await createIntegration(admin, incomingBody({ channel: '#coalesced' }));
    hookUrl = `/hooks/${hook._id}/${hook.token}`;
    // The hook's user joins the channel with its first post (a transaction of its own).
    await t.http.post(hookUrl).send({ text: 'first' }).expect(200);
  });
  afterAll(async () => t.close());

  const statements = async () => {
    const res = await t.http.get('/metrics').query({ name: 'hookline_db_statements_total' }).set('Authorization', `Bearer ${TOKEN}`).expect(200);
    return Number(/^hookline_db_statements_total (\d+)/m.exec(res.text)?.[1]);
  };
  const stored = async () => {
    const res = await admin.get('/api/v1/channels.messages', { roomId, count: 500 }).expect(200);
    const messages = res.body.messages as { msg: string; attachments?: unknown }[];
    return { total: res.body.total as number, messages, texts: messages.map((m) => m.msg) };
  };
  /**
   * Sends every call while another connection holds the messages table, so that the first calls'
   * statements wait and the rest gather behind them (on a fast database, calls from one test
   * process seldom overlap on their own); then lets them through.
   */
  const postAll = async (texts: string[], extra: Record<string, unknown> = {}) => {
    const holder = t.app.get(DataSource).createQueryRunner();
    await holder.startTransaction();
    await holder.query('LOCK TABLE messages IN SHARE MODE');
    try {
      const answers = Promise.all(texts.map((text) => t.http.post(hookUrl).send({ text, ...extra })));
      await settle(1000);
      await holder.commitTransaction();
      return await answers;
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  };

  it('stores every one of many concurrent hook calls exactly once, in far fewer statements than calls', async () => {
    const before = await stored();
    const statementsBefore = await statements();
    // Text an array literal could mangle: quotes, backslashes, braces, commas, the word NULL, non-ASCII.
    const texts = Array.from({ length: 60 }, (_, i) => `together ${i} "q" \\ {b}, NULL ü 😀`);
    const attachments = [{ title: 'a "title"', text: 'back\\slash {x}', fields: [{ title: 'NULL', value: null }] }];
    const answers = await postAll(texts, { attachments });
    expect(answers.map((a) => a.status)).toEqual(texts.map(() => 200));
    const statementsUsed = (await statements()) - statementsBefore;
    const after = await stored();
    expect(after.total - before.total).toBe(60);
    expect(after.texts.filter((m) => m.startsWith('together ')).sort()).toEqual([...texts].sort());
    for (const message of after.messages.filter((m) => m.msg.startsWith('together '))) expect(message.attachments).toEqual(attachments);
    // One statement per call would be 60 (plus the call history's); shared statements are a handful.
    expect(statementsUsed).toBeLessThan(30);
  });

  it('a message the database refuses fails alone: the others of its statement are stored and answered 200', async () => {
    const db = t.app.get(DataSource);
    await db.query(`ALTER TABLE messages ADD CONSTRAINT test_refuses_poison CHECK (msg <> 'poison')`);
    try {
      const before = await stored();
      const texts = Array.from({ length: 40 }, (_, i) => (i === 20 ? 'poison' : `beside poison ${i}`));
      const answers = await postAll(texts);
      const statusOf = (text: string) => answers[texts.indexOf(text)].status;
      expect(statusOf('poison')).not.toBe(200);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(39);
      const after = await stored();
      expect(after.total - before.total).toBe(39);
      expect(after.texts).not.toContain('poison');
      expect(after.texts.filter((m) => m.startsWith('beside poison ')).sort()).toEqual(texts.filter((m) => m !== 'poison').sort());
    } finally {
      await db.query(`ALTER TABLE messages DROP CONSTRAINT test_refuses_poison`);
    }
  });

  it('with an integration listening, each of the posts that share a statement is delivered exactly once', async () => {
    const sink = await Sink.start();
    try {
      await createIntegration(admin, outgoingBody({ channel: '#coalesced', urls: [`${sink.url}/listening`] }));
      const texts = Array.from({ length: 40 }, (_, i) => `heard ${i}`);
      const answers = await postAll(texts);
      expect(answers.map((a) => a.status)).toEqual(texts.map(() => 200));
      const arrived = await eventually(async () => sink.at('/listening').map((r) => r.json.text as string), (got) => got.length >= 40, 15000);
      await settle(300);
      expect(sink.at('/listening').map((r) => r.json.text as string).sort()).toEqual([...texts].sort());
      expect(arrived.length).toBe(40);
    } finally {
      await sink.close();
    }
  });
});

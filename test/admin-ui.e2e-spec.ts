import { mkdirSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { Client, login } from './support/api';
import { launchChromium } from './support/browser';
import { eventually } from './support/eventually';
import { Sink } from './support/sink';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

/** With UI_SCREENSHOTS=docs/screenshots the main pages are saved there (README). */
const SCREENSHOTS = process.env.UI_SCREENSHOTS;
const ADMIN = { username: 'ada', password: 'correct horse battery' };

/**
 * The admin UI in a real headless Chromium against the real server (TEST_MODE off: no seeded
 * administrator, so the first-run setup is offered). The tests run in order, each building on the
 * state the previous ones left, as an administrator would use the UI.
 */
jest.setTimeout(60_000);

describe(`admin UI in a browser (${databaseKind})`, () => {
  let t: TestApp;
  let sink: Sink;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  let base: string;
  let api: Client;
  const cspViolations: string[] = [];
  /** Every asset comes from Hookline itself: requests to any other origin are collected here. */
  const foreignRequests: string[] = [];
  const ids: Record<string, string> = {};

  const shot = async (p: Page, name: string) => {
    if (!SCREENSHOTS) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    await p.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };
  const newPage = async (context: BrowserContext) => {
    const p = await context.newPage();
    p.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
    p.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreignRequests.push(r.url());
    });
    return p;
  };
  /** The form token the page's own forms carry (every logged-in page has the logout form). */
  const csrfOf = (p: Page) => p.locator('form.logout input[name=_csrf]').inputValue();

  beforeAll(async () => {
    sink = await Sink.start();
    t = await startTestApp({ testMode: false, delivery: { timeoutMs: 2000, retryDelayScale: 0.01, concurrency: 4, perUrlConcurrency: 2 } });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    admin = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    page = await newPage(admin);
    page.on('dialog', (dialog) => void dialog.accept());
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sink?.close();
  });
  afterEach(() => expect({ cspViolations, foreignRequests }).toEqual({ cspViolations: [], foreignRequests: [] }));

  it('offers a one-time setup that creates the first administrator, then login and logout', async () => {
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/ui/setup');
    await shot(page, 'setup');
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Password again').fill('something else');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('The two passwords differ.');
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Password again').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.waitForURL('**/ui/integrations**');
    expect(await page.getByRole('status').textContent()).toContain('Welcome, ada');

    // Setup is gone: the page sends to login, and a posted setup form creates nobody.
    const again = await admin.request.post('/ui/setup', { form: { _csrf: await csrfOf(page), username: 'mallory', password: 'mallory-password', confirm: 'mallory-password' }, maxRedirects: 0 });
    expect(again.status()).toBe(303);
    api = await login(t, ADMIN.username, ADMIN.password);
    await expect(login(t, 'mallory', 'mallory-password')).rejects.toThrow(/401/);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/ui/login**');
    await page.goto('/ui/setup');
    expect(new URL(page.url()).pathname).toBe('/ui/login');
    await page.goto('/ui/integrations');
    expect(new URL(page.url()).pathname).toBe('/ui/login');
    await page.getByLabel('Username or e-mail').fill(ADMIN.username);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Log in' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('Wrong username or password.');
    await shot(page, 'login');
    // By keyboard alone: the form is reachable and sent with Enter.
    await page.getByLabel('Username or e-mail').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(ADMIN.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/ui/integrations');

    const cookie = (await admin.cookies()).find((c) => c.name === 'hookline_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('creates an incoming integration whose test message is posted through the real hook', async () => {
    await page.getByRole('link', { name: 'New incoming' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Build status');
    await page.getByLabel('Post to channel').fill('#nowhere');
    await page.getByRole('button', { name: 'Save' }).click();
    // The API's own message, next to its field.
    expect(await page.locator('#channel-error').textContent()).toContain('Invalid room');
    await page.getByLabel('Post to channel').fill('#general');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/ui\/integrations\/[^/]+\?notice=Saved/);
    ids.incoming = new URL(page.url()).pathname.split('/').pop() as string;
    const hookUrl = await page.locator('#hook-url').textContent();
    expect(hookUrl).toMatch(new RegExp(`/hooks/${ids.incoming}/\\w+$`));
    expect(await page.locator('#curl-json').textContent()).toContain(`'${hookUrl}'`);

    await page.getByLabel('Test message').fill('Hello from the browser test');
    await page.getByRole('button', { name: 'Send test message' }).click();
    expect(await page.locator('#test-result').textContent()).toContain('The hook answered 200');
    const messages = (await api.get('/api/v1/channels.messages', { roomId: 'GENERAL' }).expect(200)).body.messages as { msg: string; bot?: { i: string } }[];
    expect(messages.find((m) => m.msg === 'Hello from the browser test')).toMatchObject({ bot: { i: ids.incoming } });
    await shot(page, 'incoming');
  });

  it('checks the channel and the post-as user as they are typed', async () => {
    await page.getByLabel('Post as').fill('nobody-by-this-name');
    await expect(eventually(async () => page.locator('#username-live').textContent(), (text) => text === 'Invalid user')).resolves.toBe('Invalid user');
    await page.getByLabel('Post as').fill('rocket.cat');
    await expect(eventually(async () => page.locator('#username-live').textContent(), (text) => text === '')).resolves.toBe('');
    await page.reload();
  });

  it('shows a script compile error at its line, and tries a script without posting', async () => {
    await page.getByLabel('Script enabled').check();
    const editor = page.locator('.cm-content');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await editor.fill('class Script {\n  process_incoming_request({ request }) {\n    return { content: { text: ) } };\n  }\n}\n');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/notice=Saved/);
    const error = page.locator('#script-error');
    expect(await error.textContent()).toMatch(/line 3, column \d+/);
    expect(await page.locator('.cm-error-line').count()).toBe(1);
    await shot(page, 'script-error');

    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await editor.fill('class Script {\n  process_incoming_request({ request }) {\n    console.log("got", request.content.text);\n    return { content: { text: "tried: " + request.content.text } };\n  }\n}\n');
    await page.getByLabel('Sample (JSON)').fill('{"text": "sample"}');
    const before = (await api.get('/api/v1/channels.messages', { roomId: 'GENERAL' }).expect(200)).body.total as number;
    await page.getByRole('button', { name: 'Try it' }).click();
    const result = await page.locator('#try-result').textContent();
    expect(result).toContain('tried: sample');
    expect(result).toContain('got sample');
    // The saved (broken) script's error is not shown beside the edit that was tried.
    expect(await page.locator('#script-error').count()).toBe(0);
    expect((await api.get('/api/v1/channels.messages', { roomId: 'GENERAL' }).expect(200)).body.total).toBe(before);
    await shot(page, 'try-it');

    // Saved, it becomes a revision; the broken one can be brought back, as a revision of its own.
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/notice=Saved/);
    expect(await page.locator('#script-error').count()).toBe(0);
    await page.getByText(/^Script revisions/).click();
    await page.getByRole('button', { name: 'Revert to revision 2' }).click();
    await page.waitForURL(/notice=Script%20reverted/);
    const reverted = (await api.get('/api/v1/integrations.get', { integrationId: ids.incoming }).expect(200)).body.integration;
    expect(reverted.script).toContain('text: ) }');
    expect(await page.locator('#script-error').textContent()).toMatch(/line 3/);
    const revisions = (await api.get('/api/v1/integrations.revisions', { integrationId: ids.incoming }).expect(200)).body.revisions as { revision: number }[];
    expect(revisions.map((r) => r.revision)).toEqual([4, 3, 2, 1]);
  });

  it('shows an outgoing delivery in the history, opens it, and replays it to the sink', async () => {
    await page.goto('/ui/integrations/new/webhook-outgoing');
    await page.getByLabel('Name', { exact: true }).fill('To the sink');
    await page.getByLabel('Channel').fill('#general');
    await page.getByLabel('URLs (one per line)').fill(`${sink.url}/ui-sink`);
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('#signing-secret').textContent()).toMatch(/^whsec_/);
    ids.outgoing = (await api.get('/api/v1/integrations.list', { type: 'webhook-outgoing' }).expect(200)).body.integrations[0]._id;

    const firstSecret = await page.locator('#signing-secret').textContent();
    await page.getByRole('button', { name: 'Rotate signing secret' }).click();
    const rotated = await page.locator('#signing-secret').textContent();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(firstSecret);
    expect(await page.locator('section.secret').textContent()).toContain('The previous secret keeps signing beside it until');

    await api.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: 'to the sink' }).expect(200);
    await eventually(async () => sink.at('/ui-sink'), (a) => a.length === 1);
    await page.goto(`/ui/integrations/${ids.outgoing}/history`);
    await eventually(
      async () => (await page.reload(), page.locator('table.list tbody tr').count()),
      (rows) => rows === 1,
    );
    await shot(page, 'history');
    await page.locator('table.list tbody a').first().click();
    expect(await page.locator('#entry-request').textContent()).toContain('to the sink');
    await shot(page, 'history-entry');
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.waitForURL(/notice=Replay/);
    const arrivals = await eventually(async () => sink.at('/ui-sink'), (a) => a.length === 2);
    expect(JSON.parse(arrivals[1].body).text).toBe('to the sink');

    await page.goto(`/ui/integrations/${ids.outgoing}/history`);
    await page.getByLabel('Outcome').selectOption('error');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await page.locator('.empty').textContent()).toContain('Nothing recorded with this outcome');
    await page.getByLabel('Outcome').selectOption('ok');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/outcome=ok/);
    await eventually(async () => (await page.reload(), page.locator('table.list tbody tr').count()), (rows) => rows === 2);

    await page.goto('/ui/integrations');
    expect(await page.locator('table.list tbody tr').count()).toBe(2);
    await shot(page, 'integrations');
    await page.getByLabel('Type').selectOption('webhook-incoming');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/type=webhook-incoming/);
    expect(await page.locator('table.list tbody td:first-child').allTextContents()).toEqual(['Build status']);
    await page.getByLabel('Type').selectOption('');
    await page.getByLabel('Name', { exact: true }).fill('SINK');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/name=SINK/);
    expect(await page.locator('table.list tbody td:first-child').allTextContents()).toEqual(['To the sink']);
  });

  it('sets, shows and removes an outgoing integration\'s delivery rate limit', async () => {
    await page.goto(`/ui/integrations/${ids.outgoing}`);
    const rate = page.getByLabel('Deliveries per second, at most');
    expect(await rate.inputValue()).toBe('');
    await rate.fill('2.5');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/notice=Saved/);
    expect((await api.get('/api/v1/integrations.get', { integrationId: ids.outgoing }).expect(200)).body.integration.deliveryRateLimit).toBe(2.5);
    expect(await page.getByLabel('Deliveries per second, at most').inputValue()).toBe('2.5');
    await page.getByLabel('Deliveries per second, at most').fill('0');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('.error-box').first().textContent()).toContain('deliveryRateLimit must be more than 0');
    expect(await page.getByLabel('Deliveries per second, at most').inputValue()).toBe('0');
    await page.getByLabel('Deliveries per second, at most').fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/notice=Saved/);
    expect((await api.get('/api/v1/integrations.get', { integrationId: ids.outgoing }).expect(200)).body.integration).not.toHaveProperty('deliveryRateLimit');
  });

  it('marks an integration disabled by failures with the reason, and re-enables it', async () => {
    sink.reply = (r) => (r.url === '/gone' ? { status: 410, body: 'gone' } : { status: 200, body: '{"ok":true}' });
    const gone = await api
      .post('/api/v1/integrations.create', { type: 'webhook-outgoing', name: 'Gone target', enabled: true, event: 'sendMessage', channel: '#general', username: 'rocket.cat', urls: [`${sink.url}/gone`], scriptEnabled: false })
      .expect(200);
    ids.gone = gone.body.integration._id;
    await api.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: 'to a target that is gone' }).expect(200);
    await eventually(
      async () => (await api.get('/api/v1/integrations.get', { integrationId: ids.gone }).expect(200)).body.integration,
      (gone) => gone.enabled === false && Boolean(gone.stats?.lastFailure),
    );

    await page.goto('/ui/integrations');
    const row = page.locator('tr', { hasText: 'Gone target' });
    expect(await row.textContent()).toContain('Disabled after failing: answered 410');
    await page.goto(`/ui/integrations/${ids.gone}`);
    expect(await page.getByRole('alert').first().textContent()).toContain('Disabled by Hookline after failing for too long.');
    await page.getByRole('button', { name: 'Re-enable' }).click();
    await page.waitForLoadState();
    expect(await page.locator('h1, .error-box').allTextContents()).toEqual(['Gone target']);
    expect((await api.get('/api/v1/integrations.get', { integrationId: ids.gone }).expect(200)).body.integration.enabled).toBe(true);
    await api.post('/api/v1/integrations.remove', { type: 'webhook-outgoing', integrationId: ids.gone }).expect(200);
  });

  it('renders a recorded body holding <script> as text, never as markup', async () => {
    const hostile = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
    const hook = (await api.get('/api/v1/integrations.get', { integrationId: ids.incoming }).expect(200)).body.integration;
    const calls = async () => (await api.get('/api/v1/integrations.incomingHistory', { id: ids.incoming }).expect(200)).body.total as number;
    const before = await calls();
    await t.http.post(`/hooks/${ids.incoming}/${hook.token}`).send({ text: hostile });
    await eventually(calls, (total) => total === before + 1);
    await page.goto(`/ui/integrations/${ids.incoming}/history`);
    await page.locator('table.list tbody a').first().click();
    expect(await page.locator('#entry-request').textContent()).toContain('<script>window.__pwned = 1</script><img src=x onerror=');
    expect(await page.locator('#entry-request script, #entry-request img').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.content()).toContain('&lt;script&gt;window.__pwned');

    // Clear history, after its confirmation.
    await page.goto(`/ui/integrations/${ids.incoming}/history`);
    await page.getByRole('button', { name: 'Clear history' }).click();
    await page.waitForURL(/notice=History/);
    expect(await page.locator('table.list tbody tr').count()).toBe(0);
    expect((await api.get('/api/v1/integrations.incomingHistory', { id: ids.incoming }).expect(200)).body.total).toBe(0);
  });

  it('refuses a form without the session\'s CSRF token, changing nothing', async () => {
    const before = (await api.get('/api/v1/integrations.get', { integrationId: ids.incoming }).expect(200)).body.integration.enabled;
    for (const form of [{ enabled: 'false' }, { enabled: 'false', _csrf: 'forged' }] as Record<string, string>[]) {
      const answer = await admin.request.post(`/ui/integrations/${ids.incoming}/enabled`, { form, maxRedirects: 0 });
      expect(answer.status()).toBe(403);
      expect(await answer.text()).toContain('This form has expired or was sent from another site.');
    }
    expect((await api.get('/api/v1/integrations.get', { integrationId: ids.incoming }).expect(200)).body.integration.enabled).toBe(before);
    // With the token, the same toggle works.
    const ok = await admin.request.post(`/ui/integrations/${ids.incoming}/enabled`, { form: { enabled: 'false', _csrf: await csrfOf(page) }, maxRedirects: 0 });
    expect({ status: ok.status(), body: ok.status() === 303 ? '' : /error-box[^>]*>([^<]*)/.exec(await ok.text())?.[1] }).toEqual({ status: 303, body: '' });
    expect((await api.get('/api/v1/integrations.get', { integrationId: ids.incoming }).expect(200)).body.integration.enabled).toBe(false);
  });

  it('lets an administrator create a user, who without integration permissions sees no edit buttons and is refused by the server', async () => {
    await page.goto('/ui/users');
    await page.getByText('Create a user').click();
    await page.getByLabel('Username').fill('bob');
    await page.getByLabel('Password', { exact: true }).fill('bob-password-1');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.waitForURL(/notice=Created/);
    await shot(page, 'users');
    // Search: any part of a username, name or e-mail, in any case; LIKE's own wildcards match only themselves.
    await page.getByLabel('Search users').fill('BO');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=BO/);
    expect((await page.locator('table.list tbody tr td:first-child').allTextContents()).map((t) => t.trim())).toEqual(['bob']);
    await page.goto('/ui/users?q=%25');
    expect(await page.locator('table.list tbody tr').count()).toBe(0);
    expect(await page.getByText('No user’s username, name or e-mail contains “%”.').count()).toBe(1);
    // Hostile searches (NUL, a lone surrogate's bytes, a huge value) find nobody and never fail the page; so does the integrations name filter.
    for (const q of ['%00', '%ED%A0%80', 'x'.repeat(10_000)]) {
      expect((await page.goto(`/ui/users?q=${q}`))?.status()).toBe(200);
      expect(await page.locator('table.list tbody tr').count()).toBe(0);
      expect((await page.goto(`/ui/integrations?name=${q}`))?.status()).toBe(200);
    }
    await page.goto('/ui/users');

    const bob = await browser.newContext({ baseURL: base });
    const bobPage = await newPage(bob);
    await bobPage.goto('/ui/login');
    await bobPage.getByLabel('Username or e-mail').fill('bob');
    await bobPage.getByLabel('Password').fill('bob-password-1');
    await bobPage.getByRole('button', { name: 'Log in' }).click();
    await bobPage.waitForLoadState();
    expect(await bobPage.locator('h1').textContent()).toBe('Error 403');
    expect(await bobPage.getByRole('link', { name: 'Integrations' }).count()).toBe(0);
    expect(await bobPage.getByRole('button', { name: /Save|New incoming|Remove/ }).count()).toBe(0);
    await bobPage.goto(`/ui/integrations/${ids.incoming}`);
    expect(await bobPage.getByRole('button', { name: 'Save' }).count()).toBe(0);

    // Posting the edit form anyway, with bob's own valid form token: refused, nothing changes.
    const token = await csrfOf(bobPage);
    const answer = await bob.request.post(`/ui/integrations/${ids.incoming}`, { form: { _csrf: token, name: 'taken over', channel: '#general', username: 'rocket.cat', enabled: 'on' }, maxRedirects: 0 });
    expect(answer.status()).toBe(403);
    const removal = await bob.request.post(`/ui/integrations/${ids.incoming}/remove`, { form: { _csrf: token }, maxRedirects: 0 });
    expect(removal.status()).toBe(403);
    expect((await api.get('/api/v1/integrations.get', { integrationId: ids.incoming }).expect(200)).body.integration.name).toBe('Build status');

    // Granting "manage own incoming" to the user role on the permissions page opens the door to his own.
    await page.goto('/ui/permissions');
    await page.getByLabel('manage-own-incoming-integrations for user').check();
    await page.getByRole('button', { name: 'Save permissions' }).click();
    await page.waitForURL(/notice=Permissions/);
    await shot(page, 'permissions');
    await bobPage.goto('/ui/integrations');
    expect(await bobPage.getByRole('link', { name: 'New incoming' }).count()).toBe(1);
    expect(await bobPage.getByRole('link', { name: 'New outgoing' }).count()).toBe(0);
    expect(await bobPage.locator('table.list tbody tr').count()).toBe(0);
    await bob.close();

    // An administrator sets bob's password and roles.
    const bobRow = page.locator('tr', { hasText: 'bob' });
    await page.goto('/ui/users');
    await bobRow.getByLabel('New password for bob').fill('bob-new-password');
    await bobRow.getByRole('button', { name: 'Set' }).click();
    await page.waitForURL(/notice=Password/);
    await expect(login(t, 'bob', 'bob-password-1')).rejects.toThrow(/401/);
    await login(t, 'bob', 'bob-new-password');
    await bobRow.getByLabel('bot').check();
    await bobRow.getByRole('button', { name: 'Save roles' }).click();
    await page.waitForURL(/notice=Roles/);
    const users = (await api.get('/api/v1/users.list', { count: 100 }).expect(200)).body.users as { username: string; roles: string[] }[];
    expect(users.find((u) => u.username === 'bob')?.roles.sort()).toEqual(['bot', 'user']);
  });

  it('makes a personal access token, shown once, that the API takes until it is removed', async () => {
    await page.goto('/ui/account/tokens');
    await page.getByLabel('Name').fill('ci');
    await page.getByRole('button', { name: 'Make a token' }).click();
    const token = (await page.locator('#made-token').textContent()) as string;
    const me = async () => (await t.http.get('/api/v1/me').set('X-User-Id', api.userId).set('X-Auth-Token', token)).status;
    expect(await me()).toBe(200);
    await page.goto('/ui/account/tokens');
    expect(await page.content()).not.toContain(token);
    await shot(page, 'access-tokens');
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.waitForURL(/notice=Removed/);
    expect(await me()).toBe(401);
  });

  it('keeps every unsaved field through Try it, and Save stores them (the Script enabled box among them)', async () => {
    await page.goto('/ui/integrations/new/webhook-incoming');
    await page.getByLabel('Name', { exact: true }).fill('Kept through Try it');
    await page.getByLabel('Post to channel').fill('#general');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/notice=Saved/);
    const id = new URL(page.url()).pathname.split('/').pop() as string;
    ids.kept = id;
    expect(await page.getByText(/^Script revisions/).count()).toBe(0);

    await page.getByLabel('Name', { exact: true }).fill('Renamed, not saved yet');
    await page.getByLabel('Alias').fill('Alias typed');
    await page.getByLabel('Emoji').fill(':tada:');
    await page.getByLabel('Senders may override the channel').check();
    await page.getByLabel('Script enabled').check();
    await page.getByLabel(/^Secrets to set/).fill('API_KEY=typed-value');
    const editor = page.locator('.cm-content');
    await editor.click();
    await editor.fill('class Script {\n  process_incoming_request({ request }) {\n    return { content: { text: "kept " + process.env.SECRET_API_KEY } };\n  }\n}\n');
    await page.getByLabel('Sample (JSON)').fill('{"text": "x"}');
    await page.getByRole('button', { name: 'Try it' }).click();
    await page.locator('#try-result').waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Renamed, not saved yet');
    expect(await page.getByLabel('Alias').inputValue()).toBe('Alias typed');
    expect(await page.getByLabel('Emoji').inputValue()).toBe(':tada:');
    expect(await page.getByLabel('Senders may override the channel').isChecked()).toBe(true);
    expect(await page.getByLabel('Script enabled').isChecked()).toBe(true);
    expect(await page.getByLabel(/^Secrets to set/).inputValue()).toBe('API_KEY=typed-value');
    expect(await page.locator('.cm-content').textContent()).toContain('"kept " + process.env.SECRET_API_KEY');

    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/notice=Saved/);
    const saved = (await api.get('/api/v1/integrations.get', { integrationId: id }).expect(200)).body.integration;
    expect(saved).toMatchObject({ name: 'Renamed, not saved yet', alias: 'Alias typed', emoji: ':tada:', overrideDestinationChannelEnabled: true, scriptEnabled: true, secrets: ['API_KEY'] });
    // The page's hint is what a real script reads: the hook answers with the secret's value.
    const hook = await t.http.post(`/hooks/${id}/${saved.token}`).send({ text: 'x' }).expect(200);
    expect(hook.body.success).toBe(true);
    const messages = (await api.get('/api/v1/channels.messages', { roomId: 'GENERAL' }).expect(200)).body.messages as { msg: string }[];
    expect(messages.some((m) => m.msg === 'kept typed-value')).toBe(true);
    expect(await page.getByText(/^Script revisions/).count()).toBe(1);
    // Without scripts, Try it posts the page, and the answer shows every field as typed.
    const plain = await browser.newContext({ baseURL: base, javaScriptEnabled: false, storageState: await admin.storageState() });
    const p = await newPage(plain);
    await p.goto(`/ui/integrations/${id}`);
    await p.getByLabel('Name', { exact: true }).fill('Typed without scripts');
    await p.getByLabel('Alias').fill('No-JS alias');
    await p.getByLabel('Script enabled').uncheck();
    await p.getByLabel('Script (JavaScript)').fill('class Script { process_incoming_request() { return { content: { text: "plain" } }; } }');
    await p.getByRole('button', { name: 'Try it' }).click();
    await p.locator('#try-result').waitFor();
    expect(await p.getByLabel('Name', { exact: true }).inputValue()).toBe('Typed without scripts');
    expect(await p.getByLabel('Alias').inputValue()).toBe('No-JS alias');
    expect(await p.getByLabel('Script enabled').isChecked()).toBe(false);
    expect(await p.getByLabel('Script (JavaScript)').inputValue()).toContain('text: "plain"');
    await plain.close();

    // Reloading after the edit posts nothing again.
    await page.reload();
    await page.goBack();
    await page.goForward();
    expect((await api.get('/api/v1/integrations.get', { integrationId: id }).expect(200)).body.integration._updatedAt).toBe(saved._updatedAt);

    // A script that fails when it runs: Try it names the line and column.
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await editor.fill('class Script {\n  process_incoming_request({ request }) {\n    return request.content.missing.deeper;\n  }\n}\n');
    await page.getByRole('button', { name: 'Try it' }).click();
    expect(await page.locator('#try-script-error').textContent()).toMatch(/^Line 3, column \d+: error-running-script: /);
    // A compile error too.
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.locator('.cm-content').fill('class Script {\n  process_incoming_request({ request }) {\n    return { content: { text: ) } };\n  }\n}\n');
    await page.getByRole('button', { name: 'Try it' }).click();
    // Try it answers in place: wait for the new answer to replace the last one.
    await eventually(async () => page.locator('#try-script-error').textContent(), (text) => /^Line 3, column \d+: error-evaluating-script: /.test(text ?? ''));
  });

  it('never repeats a post on reload or Back: create, rotate, test message and token show their once-only answer on a GET', async () => {
    const integrationsNamed = async (name: string) =>
      ((await api.get('/api/v1/integrations.list', { count: 100 }).expect(200)).body.integrations as { name: string }[]).filter((i) => i.name === name).length;
    await page.goto('/ui/integrations/new/webhook-outgoing');
    expect(await page.locator('h1').textContent()).toBe('New outgoing webhook');
    expect(await page.locator('select[name=event] option[value=sendMessage]').textContent()).toBe('Message Sent (sendMessage)');
    await page.getByLabel('Name', { exact: true }).fill('Made once');
    await page.getByLabel('Channel').fill('#general');
    await page.getByLabel('URLs (one per line)').fill(`${sink.url}/made-once`);
    await page.getByLabel(/^Headers to send/).fill('X-Team: blue-team-value');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/ui\/integrations\/[^/]+\?notice=Saved/);
    const id = new URL(page.url()).pathname.split('/').pop() as string;
    const secret = await page.locator('#signing-secret').textContent();
    expect(secret).toMatch(/^whsec_/);
    // The header's name is listed, its value never shown again.
    expect(await page.locator('#header-names').textContent()).toContain('x-team: ***');
    expect(await page.content()).not.toContain('blue-team-value');
    await page.reload();
    expect(await page.locator('#signing-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret as string);
    await page.goBack();
    await page.goForward();
    expect(await integrationsNamed('Made once')).toBe(1);

    await page.goto(`/ui/integrations/${id}`);
    await page.getByRole('button', { name: 'Rotate signing secret' }).click();
    await page.waitForURL(new RegExp(`/ui/integrations/${id}\\?notice=`));
    const rotated = await page.locator('#signing-secret').textContent();
    expect(rotated).toMatch(/^whsec_/);
    await page.reload();
    expect(await page.locator('#signing-secret').count()).toBe(0);
    // One rotation only: the previous secret (the one made at creation) still signs beside the new one.
    await api.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: 'signed twice' }).expect(200);
    const [arrival] = await eventually(async () => sink.at('/made-once'), (a) => a.length === 1);
    expect(String(arrival.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(arrival.headers['x-team']).toBe('blue-team-value');

    // The page's Node.js snippet, run as a receiver would, accepts the real delivery and refuses a changed one.
    await page.goto(`/ui/integrations/${id}`);
    const snippet = (await page.locator('pre[data-language="Node.js"]').textContent()) as string;
    expect(await page.content()).not.toContain(secret as string);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the page's Node.js snippet exactly as a reader would paste it
    const verifiedDelivery = new Function('require', 'process', `${snippet}\nreturn verifiedDelivery;`)(require, { env: { HOOKLINE_SIGNING_SECRET: secret } }) as (body: string, headers: Record<string, unknown>) => { text: string };
    expect(verifiedDelivery(arrival.body, arrival.headers).text).toBe('signed twice');
    expect(() => verifiedDelivery(arrival.body.replace('signed twice', 'signed thrice'), arrival.headers)).toThrow();
    for (const language of ['Python', 'Go', 'PHP']) expect(await page.locator(`pre[data-language="${language}"]`).textContent()).toContain('HOOKLINE_SIGNING_SECRET');

    await page.goto(`/ui/integrations/${ids.kept}`);
    const countOf = async (text: string) =>
      ((await api.get('/api/v1/channels.messages', { roomId: 'GENERAL', count: 200 }).expect(200)).body.messages as { msg: string }[]).filter((m) => m.msg === text).length;
    await page.getByLabel('Test message').fill('once only');
    await page.getByRole('button', { name: 'Send test message' }).click();
    await page.waitForURL(/#test-result$/);
    expect(await page.locator('#test-result').textContent()).toContain('The hook answered 200');
    expect(await page.getByLabel('Test message').inputValue()).toBe('once only');
    await page.reload();
    await page.goBack();
    await page.goForward();
    expect(await countOf('kept typed-value')).toBe(2);

    await page.goto('/ui/account/tokens');
    await page.getByLabel('Name').fill('once');
    await page.getByRole('button', { name: 'Make a token' }).click();
    await page.waitForURL(/\/ui\/account\/tokens$/);
    const token = (await page.locator('#made-token').textContent()) as string;
    expect(token.length).toBeGreaterThan(20);
    await page.reload();
    expect(await page.content()).not.toContain(token);
    expect((await api.get('/api/v1/users.getPersonalAccessTokens').expect(200)).body.tokens.filter((k: { name: string }) => k.name === 'once')).toHaveLength(1);
  });

  it('shows the event catalog, the chosen event’s example on the outgoing form, and starts Try it from it', async () => {
    await page.goto('/ui/integrations');
    await page.getByRole('link', { name: 'Outgoing events' }).click();
    expect(await page.locator('section.event h2').allTextContents()).toEqual([
      'Message Sent sendMessage', 'File Uploaded fileUploaded', 'Room Archived roomArchived', 'Room Created roomCreated',
      'User Joined Room roomJoined', 'User Left Room roomLeft', 'User Created userCreated',
    ]);
    await page.goto(`/ui/integrations/${ids.outgoing}`);
    expect(await page.locator('#event-example pre').textContent()).toContain('"channel_name"');
    const sample = JSON.parse(await page.getByLabel('Sample (JSON)').inputValue()) as Record<string, unknown>;
    expect(sample).toMatchObject({ text: expect.any(String), channel_id: expect.any(String), user_name: expect.any(String) });
    expect(sample).not.toHaveProperty('token');
  });

  it('speaks in words: history steps, counts, the event, and a favicon', async () => {
    await page.goto(`/ui/integrations/${ids.outgoing}/history`);
    const steps = await page.locator('table.list tbody tr td:nth-child(3)').allTextContents();
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.join('\n')).toMatch(/Delivered|The target answered/);
    expect(await page.locator('dl.stats').textContent()).toMatch(/\d+ calls?, \d+ failed/);
    expect(await page.locator('dl.stats').textContent()).not.toMatch(/(^|\D)1 calls/);
    const icon = await page.locator('link[rel=icon]').getAttribute('href');
    expect((await t.http.get(icon as string)).status).toBe(200);
  });

  it('shows in the history what was sent and answered, the decoded body, the posted message in its room, and resends failures', async () => {
    await page.goto(`/ui/integrations/${ids.outgoing}/history`);
    await page.locator('table.list tbody a').first().click();
    const headers = (await page.locator('#entry-headers').textContent()) as string;
    expect(headers).toContain('webhook-signature');
    expect(headers).toContain('webhook-id');
    expect(await page.locator('#entry-response').textContent()).toBe('{\n  "ok": true\n}');

    const hook = (await api.get('/api/v1/integrations.get', { integrationId: ids.kept }).expect(200)).body.integration;
    await t.http
      .post(`/hooks/${ids.kept}/${hook.token}`)
      .type('form')
      .set('Authorization', 'Bearer never-shown')
      .send({ payload: JSON.stringify({ text: 'from a form' }) })
      .expect(200);
    await page.goto(`/ui/integrations/${ids.kept}/history`);
    await eventually(
      async () => (await page.reload(), page.locator('table.list tbody tr').count()),
      (rows) => rows >= 3,
    );
    await page.locator('table.list tbody a').first().click();
    expect(await page.locator('#entry-request').textContent()).toBe('{\n  "text": "from a form"\n}');
    expect(await page.locator('#entry-headers').textContent()).toContain('Bearer ***');
    expect(await page.content()).not.toContain('never-shown');
    const posted = page.locator('#entry-messages li');
    expect(await posted.textContent()).toContain('#general: kept typed-value');
    await posted.getByRole('link').click();
    await page.waitForURL(/\/ui\/rooms\/GENERAL#m-/);
    const target = new URL(page.url()).hash;
    expect(await page.locator(`${target} .message-text`).textContent()).toBe('kept typed-value');

    await page.goto(`/ui/integrations/${ids.outgoing}/history`);
    await page.getByRole('button', { name: 'Resend failed deliveries' }).click();
    await page.waitForURL(/notice=/);
    expect(await page.locator('.notice, [role=status]').first().textContent()).toMatch(/No failed delivery since then|queued again/);
  });

  it('imports from Rocket.Chat in the running server: an uploaded export, its plan, Apply with progress, and the export download', async () => {
    await page.goto('/ui/integrations');
    await page.getByRole('link', { name: 'Import from Rocket.Chat' }).click();
    await page.waitForURL(/\/ui\/import$/);
    await page.getByLabel('Server URL').fill('http://127.0.0.1:9');
    await page.getByLabel('User id (an administrator\'s)').fill('someone');
    await page.getByLabel('Personal access token').fill('nothing');
    await page.getByRole('button', { name: 'Show the plan' }).first().click();
    expect(await page.locator('#import-error').textContent()).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/);

    await page.getByLabel(/^Export/).setInputFiles(join(__dirname, 'fixtures', 'rocketchat-integrations.json'));
    await page.getByRole('button', { name: 'Show the plan' }).nth(1).click();
    await page.waitForURL(/\/ui\/import\/[^/]+$/);
    expect(await page.locator('#import-summary').textContent()).toContain('Nothing is written yet: 2 to create');
    expect(await page.locator('#import-lines tbody tr').count()).toBe(3);
    expect((await api.get('/api/v1/integrations.get', { integrationId: 'QyTTfGyH8pGHmyRr3' })).status).toBe(400);
    await shot(page, 'import-plan');

    await page.getByRole('button', { name: 'Apply' }).click();
    await eventually(
      async () => page.locator('#import-summary').textContent(),
      (text) => /2 created, 0 updated, 0 unchanged, 0 conflicts, 1 failed/.test(text ?? ''),
      30_000,
    );
    const job = page.url();
    await page.reload();
    expect(await page.locator('#import-summary').textContent()).toMatch(/2 created/);
    expect(page.url()).toBe(job);
    expect((await api.get('/api/v1/integrations.get', { integrationId: 'QyTTfGyH8pGHmyRr3' }).expect(200)).body.integration.name).toBe('GitHub pushes');

    const download = await page.request.get('/ui/import/export.json');
    expect(download.headers()['content-disposition']).toMatch(/^attachment; filename="hookline-integrations-/);
    const exported = (await download.json()) as { _id: string; token?: string }[];
    expect(exported.find((d) => d._id === 'QyTTfGyH8pGHmyRr3')).toMatchObject({ token: expect.any(String) });
  });

  it('is readable at phone width', async () => {
    const phone = await browser.newContext({ baseURL: base, viewport: { width: 390, height: 844 }, storageState: await admin.storageState() });
    const p = await newPage(phone);
    await p.goto('/ui/integrations');
    const overflow = await p.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(p, 'phone');
    await phone.close();
  });

  it('follows the system colour scheme', async () => {
    const dark = await browser.newContext({ baseURL: base, colorScheme: 'dark', viewport: { width: 1280, height: 900 }, storageState: await admin.storageState() });
    const p = await newPage(dark);
    await p.goto(`/ui/integrations/${ids.outgoing}`);
    const background = await p.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(background).toBe('rgb(22, 24, 28)');
    await shot(p, 'dark');
    await dark.close();
  });
});

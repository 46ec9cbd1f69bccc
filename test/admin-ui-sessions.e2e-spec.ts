import request from 'supertest';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

/** The cookies a response set, as a Cookie header value, merged over the ones already held. */
function keepCookies(held: Record<string, string>, response: request.Response): Record<string, string> {
  const set = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const next = { ...held };
  for (const line of set) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    next[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return next;
}
const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
/** What a browser asks for when it opens a page. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const formToken = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/**
 * Admin UI sessions without a browser: first-run setup under concurrency, the cookie's flags, the
 * page headers, where a login may send you, and the line between the UI's cookie and the API.
 */
describe(`admin UI sessions (${databaseKind})`, () => {
  let t: TestApp;
  /** The administrator the concurrent setups made (the first test). */
  let adminName = '';
  const PASSWORD = 'a long password';

  beforeAll(async () => {
    t = await startTestApp({ testMode: false, trustProxy: true });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A browser-like visitor: keeps cookies, reads each form's token from the page it got. */
  const visitor = () => {
    let jar: Record<string, string> = {};
    let token = '';
    return {
      async get(path: string, headers: Record<string, string> = {}) {
        const response = await t.http.get(path).set('accept', BROWSER_ACCEPT).set('cookie', cookieHeader(jar)).set(headers);
        jar = keepCookies(jar, response);
        if (formToken(response.text)) token = formToken(response.text);
        return response;
      },
      async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
        const response = await t.http.post(path).set('accept', BROWSER_ACCEPT).set('cookie', cookieHeader(jar)).set(headers).type('form').send({ _csrf: token, ...form });
        jar = keepCookies(jar, response);
        return response;
      },
      get jar() {
        return jar;
      },
    };
  };

  it('creates exactly one first administrator when several setups are posted at once', async () => {
    const visitors = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const v = visitor();
        expect((await v.get('/ui/setup')).status).toBe(200);
        return v;
      }),
    );
    const answers = await Promise.all(visitors.map((v, i) => v.post('/ui/setup', { username: `first-${i}`, password: PASSWORD, confirm: PASSWORD })));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 303));
    const admins = await Promise.all(answers.map((_, i) => t.http.post('/api/v1/login').send({ user: `first-${i}`, password: PASSWORD })));
    expect(admins.filter((a) => a.status === 200)).toHaveLength(1);
    adminName = `first-${admins.findIndex((a) => a.status === 200)}`;
    expect((await visitor().get('/ui/setup')).headers.location).toBe('/ui/login');
  });

  it('sets the session cookie HttpOnly and SameSite=Strict, and Secure when the request came over HTTPS', async () => {
    for (const [headers, secure] of [[{}, false], [{ 'x-forwarded-proto': 'https' }, true]] as const) {
      const v = visitor();
      await v.get('/ui/login', headers);
      const answer = await v.post('/ui/login', { username: adminName, password: PASSWORD }, headers);
      expect(answer.status).toBe(303);
      const cookie = ([] as string[]).concat(answer.headers['set-cookie']).find((c) => c.startsWith('hookline_session='));
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(/;\s*Secure/i.test(cookie ?? '')).toBe(secure);
    }
  });

  it('answers pages with a Content-Security-Policy that allows no inline script, and no framing', async () => {
    const page = await visitor().get('/ui/login');
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('sends a login only to a page of the UI afterwards, never to another site', async () => {
    for (const [next, expected] of [
      ['/ui/users', '/ui/users'],
      ['//evil.example/ui', '/ui/integrations'],
      ['https://evil.example/', '/ui/integrations'],
      ['/api/v1/me', '/ui/integrations'],
    ]) {
      const v = visitor();
      await v.get('/ui/login');
      const answer = await v.post('/ui/login', { username: adminName, password: PASSWORD, next });
      expect({ next, location: answer.headers.location }).toEqual({ next, location: expected });
    }
  });

  it('keeps the UI cookie and the API apart: the cookie opens no API route, and logging out ends the session', async () => {
    const v = visitor();
    await v.get('/ui/login');
    await v.post('/ui/login', { username: adminName, password: PASSWORD });
    expect((await v.get('/ui/integrations')).status).toBe(200);
    const api = await t.http.get('/api/v1/me').set('cookie', cookieHeader(v.jar));
    expect(api.status).toBe(401);
    expect(api.body).toEqual({ status: 'error', message: 'You must be logged in to do this.' });

    expect((await v.post('/ui/logout', {})).headers.location).toBe('/ui/login');
    const after = await t.http.get('/ui/integrations').set('accept', BROWSER_ACCEPT).set('cookie', `hookline_session=${v.jar.hookline_session || 'gone'}`);
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/ui/login?next=%2Fui%2Fintegrations');
    // A client that does not ask for HTML gets the API's answers instead of pages.
    const script = await t.http.get('/ui/integrations').set('cookie', `hookline_session=${v.jar.hookline_session || 'gone'}`);
    expect({ status: script.status, body: script.body }).toEqual({ status: 401, body: { status: 'error', message: 'You must be logged in to do this.' } });
  });

  it('answers hostile form posts on every page with a page, never a server error, and stores nothing broken', async () => {
    const v = visitor();
    await v.get('/ui/login');
    expect((await v.post('/ui/login', { username: adminName, password: PASSWORD })).headers.location).toBe('/ui/integrations');
    await v.get('/ui/integrations');
    const created = await v.post('/ui/integrations/new/webhook-incoming', { name: 'target', channel: '#general', username: 'rocket.cat', enabled: 'on' });
    expect(created.headers.location).toMatch(/^\/ui\/integrations\/\w+\?notice=Saved/);
    const id = /\/ui\/integrations\/(\w+)/.exec(created.headers.location)?.[1] as string;
    const junk: Record<string, string>[] = [
      {},
      { name: 'x'.repeat(100_000), channel: '#general' },
      { channel: '#general,,,', username: '', retryCount: 'NaN', hookHistory: 'sometimes' },
      { channel: '\u0000#general', name: '\ud800', urls: 'javascript:alert(1)', event: 'noSuchEvent' },
      { secrets: '=\n==\nA B=1', removeSecret: 'nothing' },
      { sample: '{not json', script: 'class Script { process_incoming_request() { while (true) {} } }' },
      { enabled: 'maybe', text: '<script>alert(1)</script>', password: 'short', roles: 'no-such-role', grant: 'nonsense pair' },
    ];
    const paths = [
      '/ui/integrations/new/webhook-incoming',
      '/ui/integrations/new/webhook-outgoing',
      '/ui/integrations/new/not-a-type',
      `/ui/integrations/${id}`,
      `/ui/integrations/${id}/enabled`,
      `/ui/integrations/${id}/test`,
      `/ui/integrations/${id}/try`,
      `/ui/integrations/${id}/history/clear`,
      `/ui/integrations/${id}/history/nope/replay`,
      '/ui/integrations/no-such-id',
      '/ui/integrations/no-such-id/remove',
      '/ui/users',
      '/ui/users/no-such-user/password',
      '/ui/users/no-such-user/roles',
    ];
    for (const path of paths) {
      for (const form of junk) {
        const answer = await v.post(path, form);
        // Answered by the page itself (the session holds: no detour to the login form).
        const outcome = { path, form: Object.keys(form), served: answer.status < 500 && answer.headers.location?.startsWith('/ui/login') !== true };
        expect(outcome).toEqual({ ...outcome, served: true });
      }
    }
    const stored = (await v.get(`/ui/integrations/${id}`)).text;
    expect(stored).not.toContain('<script>alert(1)</script>');
  });

  it('shows a notice only when this session’s own redirect signed it, never words from a link', async () => {
    const v = visitor();
    await v.get('/ui/login');
    await v.post('/ui/login', { username: adminName, password: PASSWORD });
    await v.get('/ui/integrations');
    const saved = await v.post('/ui/integrations/new/webhook-incoming', { name: 'noticed', channel: '#general', username: 'rocket.cat' });
    expect(saved.headers.location).toMatch(/notice=Saved\.&n=[\w-]{22}$/);
    expect((await v.get(saved.headers.location)).text).toContain('<p class="notice" role="status">Saved.</p>');
    const id = /\/ui\/integrations\/(\w+)/.exec(saved.headers.location)?.[1] as string;
    const forged = await v.get(`/ui/integrations/${id}?notice=${encodeURIComponent('Session expired: log in at evil.example')}&n=AAAAAAAAAAAAAAAAAAAAAA`);
    expect(forged.status).toBe(200);
    expect(forged.text).not.toContain('evil.example');
    // Another session's signature does not carry over either.
    const other = visitor();
    await other.get('/ui/login');
    await other.post('/ui/login', { username: adminName, password: PASSWORD });
    expect((await other.get(saved.headers.location)).text).not.toContain('class="notice"');
  });

  it('pages the users list, a hundred at a time', async () => {
    const login = await t.http.post('/api/v1/login').send({ user: adminName, password: PASSWORD });
    const headers = { 'x-user-id': login.body.data.userId, 'x-auth-token': login.body.data.authToken };
    for (let i = 0; i < 100; i++) {
      await t.http.post('/api/v1/users.create').set(headers).send({ username: `paged-${String(i).padStart(3, '0')}`, name: 'p', email: `p${i}@example.com`, password: 'a long password' }).expect(200);
    }
    const v = visitor();
    await v.get('/ui/login');
    await v.post('/ui/login', { username: adminName, password: PASSWORD });
    // Handlebars writes "=" in attributes as &#x3D; (the browser reads it back).
    const page = async (path: string) => (await v.get(path)).text.replaceAll('&#x3D;', '=');
    const first = await page('/ui/users');
    expect(first).toContain('href="?offset=100"');
    const second = await page('/ui/users?offset=100');
    expect(second).toContain('href="?offset=0"');
    const names = (html: string) => [...html.matchAll(/<td>(paged-\d{3})/g)].map((m) => m[1]);
    expect(names(first).length + names(second).length).toBe(100);
    expect(names(first).filter((n) => names(second).includes(n))).toEqual([]);
  });

  it('refuses a login form posted without the token its page set, and logs nobody in', async () => {
    const v = visitor();
    await v.get('/ui/login');
    const forged = await t.http.post('/ui/login').type('form').send({ username: adminName, password: PASSWORD });
    expect(forged.status).toBe(403);
    expect(forged.body).toEqual({ success: false, error: 'This form has expired or was sent from another site. Reload the page and try again.' });
    expect(forged.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^hookline_session=/)]));
  });
});

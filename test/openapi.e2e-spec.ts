import SwaggerParser from '@apidevtools/swagger-parser';
import { TEST_ADMIN } from './support/api';
import { startTestApp, TestApp } from './support/test-app';

type Operation = {
  operationId?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, unknown>;
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
};
type Schema = { properties?: Record<string, unknown>; required?: string[] };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/** The OpenAPI document at /api/docs-json is valid OpenAPI 3 and tells clients what they need. */
describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: Document;

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/api/docs-json').expect(200)).body as Document;
  });
  afterAll(() => t.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })));

  it('validates as OpenAPI 3 (path parameters declared, references resolved)', async () => {
    expect(doc.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
  });

  it('names every operation readably and uniquely', () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-zA-Z][\w.]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/api/v1/integrations.create'].post.operationId).toBe('integrations.create');
  });

  it('documents 200, never 201, for every POST route, as Rocket.Chat answers them', async () => {
    const posts = operations().filter(({ method }) => method === 'post');
    expect(posts.length).toBeGreaterThan(20);
    expect(posts.filter(({ operation }) => !('200' in operation.responses) || '201' in operation.responses).map(({ path }) => path)).toEqual([]);
    // And answers so (login has no @HttpCode of its own).
    await t.http.post('/api/v1/login').send({ user: TEST_ADMIN, password: TEST_ADMIN }).expect(200);
  });

  it('asks for both login headers together on every authenticated route, and for none on login', () => {
    for (const { path, operation } of operations().filter(({ path }) => path.startsWith('/api/v1/') && path !== '/api/v1/login')) {
      expect({ path, security: operation.security }).toEqual({ path, security: [{ authToken: [], userId: [] }] });
    }
    expect(doc.paths['/api/v1/login'].post.security).toBeUndefined();
  });

  it('documents 200, never 201, for POST routes (Rocket.Chat answers 200), hooks included', () => {
    const created = operations().filter(({ operation }) => '201' in operation.responses).map(({ path, method }) => `${method} ${path}`);
    expect(created).toEqual([]);
    expect(doc.paths['/hooks/{integrationId}/{token}'].post.responses).toHaveProperty('200');
  });

  it('documents request bodies and query parameters from the validation rules', () => {
    const bodyOf = (path: string) => {
      const ref = doc.paths[path].post.requestBody?.content['application/json'].schema.$ref ?? '';
      return doc.components.schemas[ref.slice(ref.lastIndexOf('/') + 1)];
    };
    expect(Object.keys(bodyOf('/api/v1/users.create').properties ?? {})).toEqual(expect.arrayContaining(['username', 'email', 'password', 'name']));
    expect(bodyOf('/api/v1/users.create').required).toEqual(expect.arrayContaining(['username', 'email', 'password', 'name']));
    expect(Object.keys(bodyOf('/api/v1/chat.postMessage').properties ?? {})).toEqual(expect.arrayContaining(['roomId', 'channel', 'text', 'attachments']));
    expect(doc.paths['/api/v1/users.info'].get.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(expect.arrayContaining(['query:userId', 'query:username']));
    expect(doc.paths['/api/v1/channels.messages'].get.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['roomId', 'count', 'offset']));
    expect(doc.paths['/api/v1/integrations.get'].get.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'integrationId', in: 'query', required: true })]));
  });
});

import request from 'supertest';
import { TestApp } from './test-app';

export const TEST_ADMIN = 'rocketchat.internal.admin.test';

export interface Credentials {
  userId: string;
  authToken: string;
}

/** A logged-in client: every call carries X-User-Id and X-Auth-Token. */
export class Client {
  constructor(
    private readonly t: TestApp,
    readonly credentials: Credentials,
  ) {}

  get userId(): string {
    return this.credentials.userId;
  }

  private auth(req: request.Test): request.Test {
    return req.set('X-User-Id', this.credentials.userId).set('X-Auth-Token', this.credentials.authToken);
  }

  get(path: string, query: Record<string, string | number> = {}): request.Test {
    return this.auth(this.t.http.get(path).query(query));
  }

  post(path: string, body?: unknown): request.Test {
    const req = this.auth(this.t.http.post(path));
    return body === undefined ? req : req.send(body as object);
  }

  put(path: string, body?: unknown): request.Test {
    return this.auth(this.t.http.put(path)).send(body as object);
  }
}

export async function login(t: TestApp, user: string, password: string): Promise<Client> {
  const res = await t.http.post('/api/v1/login').send({ user, password });
  if (res.status !== 200) throw new Error(`login as ${user} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return new Client(t, { userId: res.body.data.userId, authToken: res.body.data.authToken });
}

export const loginAsAdmin = (t: TestApp) => login(t, TEST_ADMIN, TEST_ADMIN);

let userCounter = 0;

/** Creates a user through users.create (as `admin`) and logs in as them. */
export async function createUser(
  t: TestApp,
  admin: Client,
  fields: { username?: string; roles?: string[]; password?: string } = {},
): Promise<Client & { username: string }> {
  userCounter += 1;
  const username = fields.username ?? `user.${process.pid}.${userCounter}`;
  const password = fields.password ?? `pw-${username}`;
  const res = await admin.post('/api/v1/users.create', {
    username,
    password,
    name: `User ${username}`,
    email: `${username}@example.com`,
    ...(fields.roles ? { roles: fields.roles } : {}),
  });
  if (res.status !== 200) throw new Error(`users.create ${username} failed: ${JSON.stringify(res.body)}`);
  const client = await login(t, username, password);
  return Object.assign(client, { username });
}

export const FORBIDDEN = {
  success: false,
  error: 'User does not have the permissions required for this action [error-unauthorized]',
  errorType: 'error-unauthorized',
};

export const UNAUTHENTICATED = { status: 'error', message: 'You must be logged in to do this.' };

import { CachedLookup } from '../core/database/cached-lookup';
import { ChangeFeed } from '../core/database/change-feed';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isEmail } from 'class-validator';
import { EntityManager, FindOptionsWhere, ILike, In, Repository } from 'typeorm';
import { PermissionsService } from '../authorization/permissions.service';
import { containsPattern } from '../core/database/like-pattern';
import { uniqueViolation } from '../core/database/unique-violation';
import { ApiError } from '../core/http/api-error';
import { Page } from '../core/http/pagination';
import { randomId } from '../core/ids/random-id';
import { OutboxService } from '../events/outbox.service';
import { User, UserType } from './entities/user.entity';
import { hashPassword, PasswordInput, verifyAgainstDecoy, verifyPassword } from './password-hasher';
import { toApiUser } from './user.mapper';
import { isValidUsername } from './username';
import { requireExactlyOne } from '../core/http/exactly-one';

/**
 * Runs inside the transaction that creates a user, so what it writes commits with the user or not
 * at all. Other modules register one (the rooms module joins new users to the default rooms).
 */
export type UserCreatedListener = (m: EntityManager, user: User, options: { joinDefaultChannels: boolean }) => Promise<void>;

export interface NewUser {
  id?: string;
  username: string;
  name: string;
  email?: string;
  password?: string;
  roles?: string[];
  active?: boolean;
  type?: UserType;
  verified?: boolean;
  requirePasswordChange?: boolean;
  /** Join the default rooms (#general); true unless said otherwise, as in Rocket.Chat. */
  joinDefaultChannels?: boolean;
}

const METHOD = { method: 'insertOrUpdateUser' };
const FIELD_UNAVAILABLE = 'error-field-unavailable' as const;
/** pg_advisory_xact_lock key of first-run setup (any fixed number; only setup takes it). */
const FIRST_ADMINISTRATOR_LOCK = 4_801_517;

@Injectable()
export class UsersService {
  private readonly createdListeners: UserCreatedListener[] = [];
  private readonly byId: CachedLookup<User>;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly permissions: PermissionsService,
    private readonly outbox: OutboxService,
    changes: ChangeFeed,
  ) {
    this.byId = new CachedLookup(changes, ['users']);
  }

  onUserCreated(listener: UserCreatedListener): void {
    this.createdListeners.push(listener);
  }

  findById(id: string, m: EntityManager = this.users.manager): Promise<User | null> {
    return m.findOne(User, { where: { id } });
  }

  /** Like findById, from memory when possible (read-only: the user is shared between requests). */
  cachedById(id: string): Promise<User | null> {
    return this.byId.get(id, () => this.findById(id));
  }

  /** The users with these ids, in the order given (unknown ids are skipped). */
  async findByIds(ids: string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const found = new Map((await this.users.findBy({ id: In(ids) })).map((u) => [u.id, u]));
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /** Case-insensitive, as usernames are unique regardless of case. */
  findByUsername(username: string): Promise<User | null> {
    return this.users.createQueryBuilder('u').where('lower(u.username) = lower(:username)', { username }).getOne();
  }

  /** The user a request names by `userId` or `username` (exactly one of them, else invalid-params); null when none matches. */
  async findNamed(ref: { userId?: string; username?: string }): Promise<User | null> {
    requireExactlyOne(ref, 'userId', 'username');
    return ref.userId ? this.findById(ref.userId) : this.findByUsername(ref.username as string);
  }

  /** Exactly this username, case-sensitive, as integrations look up their post-as user. */
  findByExactUsername(username: string): Promise<User | null> {
    return this.users.findOne({ where: { username } });
  }

  /** `@x` in an integration's channel list: a user whose id or (exact) username is x. */
  findByIdOrExactUsername(ref: string): Promise<User | null> {
    return this.users.createQueryBuilder('u').where('u.id = :ref OR u.username = :ref', { ref }).getOne();
  }

  /** The user a login names (username or e-mail, any case) if the password matches; else null. */
  async findByCredentials(identifier: string, password: PasswordInput): Promise<User | null> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.username) = lower(:identifier) OR lower(u.email) = lower(:identifier)', { identifier })
      .getOne();
    if (!user?.passwordHash) return verifyAgainstDecoy(password).then(() => null);
    const matches = await verifyPassword(password, user.passwordHash);
    return matches && user.active ? user : null;
  }

  /** A page of users; with `search`, only those whose username, name or e-mail contains it (any case). */
  async list(page: Page, search?: string): Promise<[User[], number]> {
    const pattern = search ? ILike(containsPattern(search)) : undefined;
    const where: FindOptionsWhere<User>[] | undefined = pattern ? [{ username: pattern }, { name: pattern }, { email: pattern }] : undefined;
    return this.users.findAndCount({ where, order: page.order, skip: page.offset, take: page.count });
  }

  /** Validates and inserts a user; a clash of username or e-mail is a 400 naming the field. */
  async create(input: NewUser, outer?: EntityManager): Promise<User> {
    if (!isValidUsername(input.username)) {
      throw ApiError.meteor('error-input-is-not-a-valid-field', `${input.username} is not a valid username`, {
        ...METHOD,
        input: input.username,
        field: 'Username',
      });
    }
    if (input.email !== undefined && !isEmail(input.email)) {
      throw ApiError.meteor('error-invalid-email', `Invalid email ${input.email}`, { ...METHOD, email: input.email });
    }
    const roles = [...new Set(input.roles ?? ['user'])];
    await this.assertRolesExist(roles, METHOD.method);
    if (await this.findByUsername(input.username)) throw this.taken(input.username);
    const user = this.users.create({
      id: input.id ?? randomId(),
      username: input.username,
      name: input.name,
      email: input.email ?? null,
      emailVerified: input.verified ?? false,
      passwordHash: input.password === undefined ? null : await hashPassword(input.password),
      roles,
      active: input.active ?? true,
      type: input.type ?? 'user',
      requirePasswordChange: input.requirePasswordChange ?? false,
    });
    const insert = async (m: EntityManager) => {
      await m.insert(User, user);
      const created = await m.findOneByOrFail(User, { id: user.id });
      await this.outbox.record(m, 'userCreated', () => ({ user: toApiUser(created, { withEmail: false }) }));
      for (const listener of this.createdListeners) {
        await listener(m, created, { joinDefaultChannels: input.joinDefaultChannels ?? true });
      }
      return created;
    };
    try {
      return await (outer ? insert(outer) : this.users.manager.transaction(insert));
    } catch (error) {
      const index = uniqueViolation(error);
      if (index === 'users_email_lower_key') throw this.taken(input.email as string);
      if (index !== undefined) throw this.taken(input.username);
      throw error;
    }
  }

  /** Whether an active person (not a bot) holds the admin role: until one does, the UI offers first-run setup. */
  async hasAdministrator(m: EntityManager = this.users.manager): Promise<boolean> {
    const [row] = await m.query<{ found: boolean }[]>(`SELECT EXISTS (SELECT 1 FROM users WHERE 'admin' = ANY(roles) AND active AND type <> 'bot') AS found`);
    return row.found;
  }

  /**
   * The first administrator, made once: concurrent setups queue on one lock and every one after
   * the first finds an administrator and is refused.
   */
  async createFirstAdministrator(input: Pick<NewUser, 'username' | 'name' | 'email' | 'password'>): Promise<User> {
    return this.users.manager.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMINISTRATOR_LOCK]);
      if (await this.hasAdministrator(m)) throw ApiError.failure('An administrator already exists.', 403);
      return this.create({ ...input, roles: ['admin'], verified: true }, m);
    });
  }

  async setPassword(userId: string, password: string): Promise<void> {
    const result = await this.users.update({ id: userId }, { passwordHash: await hashPassword(password), updatedAt: new Date() });
    if (!result.affected) throw ApiError.meteor('error-invalid-user', 'Invalid user', { method: 'setPassword' });
  }

  /** Replaces the user's roles; every role must exist, and at least one is kept. */
  async setRoles(userId: string, roles: string[]): Promise<void> {
    const unique = [...new Set(roles)];
    if (unique.length === 0) throw ApiError.failure('A user needs at least one role.');
    await this.assertRolesExist(unique, 'setUserRoles');
    const result = await this.users.update({ id: userId }, { roles: unique, updatedAt: new Date() });
    if (!result.affected) throw ApiError.meteor('error-invalid-user', 'Invalid user', { method: 'setUserRoles' });
  }

  private async assertRolesExist(roles: string[], method: string): Promise<void> {
    for (const role of roles) {
      if (!(await this.permissions.roleExists(role))) throw ApiError.meteor('error-invalid-role', `Invalid role: ${role}`, { method });
    }
  }

  /** Inserts the user unless one with that id or username exists; for seeding, safe across processes. */
  async ensure(input: NewUser & { id: string }): Promise<void> {
    const exists = await this.users
      .createQueryBuilder('u')
      .where('u.id = :id OR lower(u.username) = lower(:username)', input)
      .getExists();
    if (exists) return;
    try {
      await this.create(input);
    } catch (error) {
      // Another process seeded it between our check and insert.
      if (!ApiError.is(error, FIELD_UNAVAILABLE)) throw error;
    }
  }

  async addRoles(userId: string, roles: string[], m: EntityManager = this.users.manager): Promise<void> {
    await m.query(
      `UPDATE users SET roles = ARRAY(SELECT DISTINCT unnest(roles || $2::text[])), updated_at = now() WHERE id = $1`,
      [userId, roles],
    );
  }

  async delete(userId: string): Promise<User> {
    const user = await this.findById(userId);
    if (!user) throw ApiError.meteor('error-invalid-user', 'Invalid user', { method: 'deleteUser' });
    if (user.roles.includes('admin')) {
      const admins = await this.users.createQueryBuilder('u').where(`'admin' = ANY(u.roles) AND u.active`).getCount();
      if (admins <= 1 && user.active) {
        throw ApiError.meteor('error-action-not-allowed', 'Leaving the app without admins is not allowed', {
          method: 'deleteUser',
          action: 'Remove_last_admin',
        });
      }
    }
    await this.users.delete({ id: userId });
    return user;
  }

  private taken(value: string): ApiError {
    return ApiError.meteor(FIELD_UNAVAILABLE, `${value} is already in use :(`, { ...METHOD, field: value });
  }
}

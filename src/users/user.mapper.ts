import { User } from './entities/user.entity';

/** The public face of a user, as Rocket.Chat's users.info shows it. */
export function toApiUser(user: User, { withEmail }: { withEmail: boolean }) {
  return {
    _id: user.id,
    username: user.username,
    name: user.name,
    type: user.type,
    active: user.active,
    roles: user.roles,
    status: 'offline',
    ...(withEmail && user.email ? { emails: [{ address: user.email, verified: user.emailVerified }] } : {}),
    ...(user.requirePasswordChange ? { requirePasswordChange: true } : {}),
    createdAt: user.createdAt.toISOString(),
    _updatedAt: user.updatedAt.toISOString(),
  };
}

/** The caller's own record (`me`, login): everything public plus the e-mail. */
export function toApiMe(user: User) {
  return { ...toApiUser(user, { withEmail: true }), ...(user.email ? { email: user.email } : {}) };
}

export type ApiUser = ReturnType<typeof toApiUser>;

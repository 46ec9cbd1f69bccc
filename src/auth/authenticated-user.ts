import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { User } from '../users/entities/user.entity';

/** A request that passed authentication: `user` is the caller, read fresh from the database. */
export type AuthenticatedRequest = FastifyRequest & { user?: User; authTokenHash?: string };

/** The calling user of an authenticated route. */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): User => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().user as User;
});

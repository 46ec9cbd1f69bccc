import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export interface RoomKind {
  type: 'c' | 'p';
  /** The response field naming the room: `channel` for channels.*, `group` for groups.*. */
  key: 'channel' | 'group';
  /** Permission to create one. */
  createPermission: 'create-c' | 'create-p';
}

const CHANNEL: RoomKind = { type: 'c', key: 'channel', createPermission: 'create-c' };
const GROUP: RoomKind = { type: 'p', key: 'group', createPermission: 'create-p' };

/** Which family a route shared by `channels.*` and `groups.*` was called as. */
export const Kind = createParamDecorator((_: unknown, context: ExecutionContext): RoomKind => {
  const path = context.switchToHttp().getRequest<FastifyRequest>().routeOptions.url ?? '';
  return path.includes('/groups.') ? GROUP : CHANNEL;
});

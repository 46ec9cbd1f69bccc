import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = Symbol('IS_PUBLIC');

/** The route needs no X-User-Id / X-Auth-Token (login, server info, health, hooks). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

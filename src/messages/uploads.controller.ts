import { Controller, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiLoggedIn } from '../auth/api-logged-in.decorator';
import { CurrentUser } from '../auth/authenticated-user';
import { User } from '../users/entities/user.entity';
import { toApiMessage } from './message.mapper';
import { UploadRequest } from './upload-request';

@ApiTags('messages')
@ApiLoggedIn()
@Controller('api/v1')
export class UploadsController {
  constructor(private readonly uploads: UploadRequest) {}

  /** multipart/form-data with one `file` part and optional `msg`, `description`, `tmid` fields. */
  @Post('rooms.upload/:rid')
  async upload(@Param('rid') rid: string, @Req() request: FastifyRequest, @CurrentUser() me: User) {
    return { message: toApiMessage(await this.uploads.upload(me, rid, request)), success: true };
  }
}

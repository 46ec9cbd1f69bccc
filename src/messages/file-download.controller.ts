import { Controller, Get, HttpStatus, Param, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiLoggedIn } from '../auth/api-logged-in.decorator';
import type { FastifyReply } from 'fastify';
import { createReadStream, existsSync } from 'node:fs';
import { CurrentUser } from '../auth/authenticated-user';
import { ApiError } from '../core/http/api-error';
import { MembershipService } from '../rooms/membership.service';
import { User } from '../users/entities/user.entity';
import { UploadsService } from './uploads.service';

/** `/file-upload/:fileId/:fileName`: the bytes behind an upload's `title_link`. */
@ApiTags('messages')
@ApiLoggedIn()
@Controller('file-upload')
export class FileDownloadController {
  constructor(
    private readonly uploads: UploadsService,
    private readonly membership: MembershipService,
  ) {}

  /** Only for users who can see the file's room; to anyone else the file does not exist. */
  @Get(':fileId/:fileName')
  async download(@Param('fileId') fileId: string, @CurrentUser() me: User, @Res({ passthrough: true }) reply: FastifyReply) {
    const upload = await this.uploads.findReadable(fileId, (room) => this.membership.canAccess(me, room));
    if (!upload || !existsSync(upload.path)) throw ApiError.failure('File not found', HttpStatus.NOT_FOUND);
    void reply
      .header('content-type', upload.type)
      .header('content-length', String(upload.size))
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(upload.name)}`);
    return createReadStream(upload.path);
  }
}

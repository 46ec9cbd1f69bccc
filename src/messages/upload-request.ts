import { HttpStatus, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { AppConfig } from '../core/config/app-config';
import { ApiError } from '../core/http/api-error';
import { RoomsService } from '../rooms/rooms.service';
import { User } from '../users/entities/user.entity';
import { Message } from './entities/message.entity';
import { StoredFile, UploadsService } from './uploads.service';

const TEXT_FIELDS = ['msg', 'description', 'tmid'] as const;
type TextFields = Partial<Record<(typeof TEXT_FIELDS)[number], string>>;

/**
 * `rooms.upload/:rid`: multipart/form-data with one `file` part and optional `msg`, `description`,
 * `tmid` fields, stored and posted to the room. A refused upload leaves no file behind.
 */
@Injectable()
export class UploadRequest {
  constructor(
    private readonly uploads: UploadsService,
    private readonly rooms: RoomsService,
    private readonly config: AppConfig,
  ) {}

  async upload(me: User, rid: string, request: FastifyRequest): Promise<Message> {
    if (!request.isMultipart()) throw ApiError.meteor('error-invalid-content-type', 'Send the file as multipart/form-data');
    const room = await this.rooms.findAccessible(me, { roomId: rid });
    const { file, fields } = await this.receive(request);
    return this.uploads.attach(me, room, file, fields);
  }

  private async receive(request: FastifyRequest): Promise<{ file: StoredFile; fields: TextFields }> {
    const fields: TextFields = {};
    let file: StoredFile | undefined;
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          if (file || part.fieldname !== 'file') {
            part.file.resume();
            throw ApiError.meteor('error-invalid-file', 'Send exactly one file, in the part named "file"');
          }
          const target = await this.uploads.newFilePath();
          file = { ...target, name: part.filename || 'file', type: part.mimetype || 'application/octet-stream', size: 0 };
          await pipeline(part.file, createWriteStream(target.path, { mode: 0o600 }));
          file.size = part.file.bytesRead;
        } else if ((TEXT_FIELDS as readonly string[]).includes(part.fieldname) && typeof part.value === 'string') {
          fields[part.fieldname as (typeof TEXT_FIELDS)[number]] = part.value;
        }
      }
    } catch (error) {
      if (file) await this.uploads.discard(file.path);
      throw this.uploadError(error);
    }
    if (!file) throw ApiError.meteor('error-invalid-file', 'The "file" part is required');
    return { file, fields };
  }

  private uploadError(error: unknown): unknown {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      const message = `File is larger than the upload limit of ${this.config.uploadLimit} bytes`;
      return ApiError.raw(HttpStatus.PAYLOAD_TOO_LARGE, { success: false, error: message, errorType: 'error-file-too-large' }, 'error-file-too-large', message);
    }
    if (typeof code === 'string' && code.startsWith('FST_')) return ApiError.meteor('error-invalid-file', (error as Error).message);
    return error;
  }
}

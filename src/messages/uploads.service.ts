import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../core/config/app-config';
import { randomId } from '../core/ids/random-id';
import { OutboxService } from '../events/outbox.service';
import { Room } from '../rooms/entities/room.entity';
import { toApiRoom } from '../rooms/room.mapper';
import { User } from '../users/entities/user.entity';
import { toApiUser } from '../users/user.mapper';
import { Message } from './entities/message.entity';
import { Upload } from './entities/upload.entity';
import { toApiMessage } from './message.mapper';
import { MessagesService } from './messages.service';

export interface StoredFile {
  id: string;
  path: string;
  name: string;
  type: string;
  size: number;
}

@Injectable()
export class UploadsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messages: MessagesService,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  /** Where a new upload's bytes go; the folder is made on first use. */
  async newFilePath(): Promise<{ id: string; path: string }> {
    await mkdir(this.config.uploadsDir, { recursive: true, mode: 0o700 });
    const id = randomId();
    return { id, path: join(this.config.uploadsDir, id) };
  }

  /** An upload whose room passes `canAccess`; undefined otherwise, or when it is gone. */
  async findReadable(uploadId: string, canAccess: (room: Room) => Promise<boolean>): Promise<Upload | undefined> {
    const upload = await this.dataSource.manager.findOne(Upload, { where: { id: uploadId }, relations: { room: true } });
    if (!upload?.room || !(await canAccess(upload.room))) return undefined;
    return upload;
  }

  discard(path: string): Promise<void> {
    return rm(path, { force: true });
  }

  /**
   * Records a stored file as a message in `room`: the upload row, the message (which records
   * `sendMessage`) and `fileUploaded` commit together. The file is removed if that fails.
   */
  async attach(user: User, room: Room, file: StoredFile, fields: { msg?: string; description?: string; tmid?: string }): Promise<Message> {
    try {
      await this.messages.assertCanPost(user, room);
      return await this.dataSource.transaction(async (m) => {
        await m.insert(Upload, { id: file.id, roomId: room.id, userId: user.id, name: file.name, type: file.type, size: file.size, path: file.path });
        const message = await this.messages.insert(m, user, room, {
          msg: fields.msg ?? '',
          tmid: fields.tmid,
          file: { _id: file.id, name: file.name, type: file.type, size: file.size },
          attachments: [
            {
              type: 'file',
              title: file.name,
              title_link: `/file-upload/${file.id}/${encodeURIComponent(file.name)}`,
              title_link_download: true,
              ...(fields.description ? { description: fields.description } : {}),
            },
          ],
        });
        await this.outbox.record(m, 'fileUploaded', () => ({
          message: toApiMessage(message),
          room: toApiRoom(room),
          user: toApiUser(user, { withEmail: false }),
        }));
        return message;
      });
    } catch (error) {
      await this.discard(file.path);
      throw error;
    }
  }
}

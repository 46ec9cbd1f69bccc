import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RoomsModule } from '../rooms/rooms.module';
import { UsersModule } from '../users/users.module';
import { ChatController } from './chat.controller';
import { FileDownloadController } from './file-download.controller';
import { Message } from './entities/message.entity';
import { Upload } from './entities/upload.entity';
import { MessagePoster } from './message-poster';
import { MessagesService } from './messages.service';
import { SendMessage } from './send-message';
import { UploadRequest } from './upload-request';
import { UploadsController } from './uploads.controller';
import { UploadsService } from './uploads.service';

@Module({
  imports: [RoomsModule, UsersModule, TypeOrmModule.forFeature([Message, Upload])],
  controllers: [ChatController, UploadsController, FileDownloadController],
  providers: [MessagesService, MessagePoster, UploadsService, SendMessage, UploadRequest],
  exports: [MessagesService, MessagePoster],
})
export class MessagesModule {}

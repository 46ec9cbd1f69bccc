import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AccessTokensPagesController } from './access-tokens-pages.controller';
import { AuthorizationModule } from '../authorization/authorization.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { UsersModule } from '../users/users.module';
import { MessagesModule } from '../messages/messages.module';
import { RoomsModule } from '../rooms/rooms.module';
import { PostedMessages } from './posted-messages';
import { RoomsPagesController } from './rooms-pages.controller';
import { ImportPagesController } from './import-pages.controller';
import { EventsPageController } from './events-page.controller';
import { HistoryPagesController } from './history-pages.controller';
import { IntegrationsPagesController } from './integrations-pages.controller';
import { SessionController } from './session.controller';
import { UiExceptionFilter } from './ui-exception.filter';
import { UiPages } from './ui-pages';
import { UiSessionGuard } from './ui-session.guard';
import { UiSessions } from './ui-sessions';
import { UsersPagesController } from './users-pages.controller';

/** The admin web UI at /ui: server-rendered pages over the same services (and permissions) as the API. */
@Module({
  imports: [AuthModule, AuthorizationModule, UsersModule, IntegrationsModule, RoomsModule, MessagesModule],
  controllers: [SessionController, IntegrationsPagesController, HistoryPagesController, UsersPagesController, AccessTokensPagesController, RoomsPagesController, ImportPagesController, EventsPageController],
  providers: [UiSessions, UiSessionGuard, UiPages, UiExceptionFilter, PostedMessages],
  exports: [UiSessionGuard],
})
export class AdminUiModule {}

import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AdminUiModule } from './admin-ui/admin-ui.module';
import { UiSessionGuard } from './admin-ui/ui-session.guard';
import { AuthModule } from './auth/auth.module';
import { TokenAuthGuard } from './auth/token-auth.guard';
import { AuthorizationModule } from './authorization/authorization.module';
import { PermissionsGuard } from './authorization/permissions.guard';
import { AppConfig } from './core/config/app-config';
import { ConfigModule } from './core/config/config.module';
import { DatabaseModule } from './core/database/database.module';
import { EmbeddedDatabase } from './core/database/embedded-database';
import { LoggingModule } from './core/logging/logging.module';
import { OutgoingHttpModule } from './core/outgoing-http/outgoing-http.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { EventsModule } from './events/events.module';
import { IntegrationsModule } from './integrations/integrations.module';
import { MessagesModule } from './messages/messages.module';
import { RoomsModule } from './rooms/rooms.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, embedded: EmbeddedDatabase | null): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule.forRoot(embedded),
        OutgoingHttpModule,
        HealthModule,
        MetricsModule,
        AuthorizationModule,
        EventsModule,
        UsersModule,
        AuthModule,
        RoomsModule,
        MessagesModule,
        IntegrationsModule,
        AdminUiModule,
      ],
      // Order matters: who is calling (API headers, or an admin page's session cookie), then what they may do.
      providers: [
        { provide: APP_GUARD, useExisting: TokenAuthGuard },
        { provide: APP_GUARD, useExisting: UiSessionGuard },
        { provide: APP_GUARD, useExisting: PermissionsGuard },
      ],
    };
  }
}

import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoginFailure } from './entities/login-failure.entity';
import { RateWindow } from './entities/rate-window.entity';
import { RateWindows } from './rate-windows';
import { FoldedRateCounter } from './folded-rate-counter';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { LoginTokenStore } from './login-token-store';
import { Login } from './login';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { LoginToken } from './entities/login-token.entity';
import { PersonalAccessTokensController } from './personal-access-tokens.controller';
import { PersonalAccessTokensService } from './personal-access-tokens.service';
import { TokenAuthGuard } from './token-auth.guard';
import { TokenStrategy } from './token.strategy';

@Module({
  imports: [PassportModule, UsersModule, TypeOrmModule.forFeature([LoginToken, LoginFailure, RateWindow])],
  controllers: [AuthController, PersonalAccessTokensController],
  providers: [AuthService, LoginThrottle, RateWindows, FoldedRateCounter, TokenStrategy, TokenAuthGuard, PersonalAccessTokensService, LoginTokenStore, Login],
  exports: [AuthService, TokenAuthGuard, LoginThrottle, RateWindows, FoldedRateCounter, PersonalAccessTokensService],
})
export class AuthModule {}

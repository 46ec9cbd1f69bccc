import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { LoginToken } from './entities/login-token.entity';
import { PersonalAccessTokensController } from './personal-access-tokens.controller';
import { PersonalAccessTokensService } from './personal-access-tokens.service';
import { TokenAuthGuard } from './token-auth.guard';
import { TokenStrategy } from './token.strategy';

@Module({
  imports: [PassportModule, UsersModule, TypeOrmModule.forFeature([LoginToken])],
  controllers: [AuthController, PersonalAccessTokensController],
  providers: [AuthService, LoginThrottle, TokenStrategy, TokenAuthGuard, PersonalAccessTokensService],
  exports: [AuthService, TokenAuthGuard, LoginThrottle, PersonalAccessTokensService],
})
export class AuthModule {}

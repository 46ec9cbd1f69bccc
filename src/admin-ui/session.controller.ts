import { Controller, Get, Ip, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { LoginThrottle } from '../auth/login-throttle';
import { ApiError } from '../core/http/api-error';
import { UsersService } from '../users/users.service';
import { UiExceptionFilter } from './ui-exception.filter';
import { UiPages } from './ui-pages';
import { formText, UiRequest } from './ui-request';
import { UiRoute } from './ui-route.decorator';
import { UiSessions } from './ui-sessions';

const HOME = '/ui/integrations';
/** Counted with the API's logins per address (LOGIN_RATE_LIMIT; see create-app.ts). */
const LOGIN_RATE_LIMITED = { rateLimit: {} };

/** Only a page of this UI may be the destination after login (never another site). */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/ui(\/|$|\?)/.test(next) ? next : HOME);

/** First-run setup, login and logout. */
@UiRoute({ anonymous: true })
@UseFilters(UiExceptionFilter)
@Controller()
export class SessionController {
  constructor(
    private readonly pages: UiPages,
    private readonly sessions: UiSessions,
    private readonly users: UsersService,
    private readonly throttle: LoginThrottle,
  ) {}

  @Get()
  root(@Res() reply: FastifyReply) {
    return reply.redirect('/ui', 302);
  }

  @Get('ui')
  async home(@Req() request: UiRequest, @Res() reply: FastifyReply) {
    if (!(await this.users.hasAdministrator())) return reply.redirect('/ui/setup', 303);
    return reply.redirect(request.user ? HOME : '/ui/login', 303);
  }

  @Get('ui/setup')
  async setupForm(@Req() request: UiRequest, @Res() reply: FastifyReply) {
    if (await this.users.hasAdministrator()) return reply.redirect('/ui/login', 303);
    return this.pages.render(request, reply, 'setup', { title: 'Set up Hookline', form: {} });
  }

  @Post('ui/setup')
  async setup(@Req() request: UiRequest, @Res() reply: FastifyReply) {
    const form = { username: formText(request.body, 'username').trim(), name: formText(request.body, 'name').trim(), email: formText(request.body, 'email').trim() };
    const password = formText(request.body, 'password');
    const again = (error: string, status = 400) => this.pages.render(request, reply, 'setup', { title: 'Set up Hookline', form, error }, status);
    if (!form.username) return again('Choose a username.');
    if (password.length < 8) return again('The password needs at least 8 characters.');
    if (password !== formText(request.body, 'confirm')) return again('The two passwords differ.');
    try {
      await this.users.createFirstAdministrator({ username: form.username, name: form.name || form.username, email: form.email || undefined, password });
    } catch (error) {
      if (ApiError.is(error) && error.status === 403) return reply.redirect('/ui/login', 303);
      if (ApiError.is(error)) return again(error.message);
      throw error;
    }
    await this.sessions.open(request, reply, form.username, password);
    return this.pages.redirect(request, reply, HOME, `Welcome, ${form.username}: Hookline is ready.`);
  }

  @Get('ui/login')
  async loginForm(@Req() request: UiRequest, @Res() reply: FastifyReply, @Query('next') next?: string) {
    if (request.user) return reply.redirect(safeNext(next), 303);
    if (!(await this.users.hasAdministrator())) return reply.redirect('/ui/setup', 303);
    return this.pages.render(request, reply, 'login', { title: 'Log in', next: safeNext(next) });
  }

  @Post('ui/login')
  @RouteConfig(LOGIN_RATE_LIMITED)
  async login(@Req() request: UiRequest, @Res() reply: FastifyReply, @Ip() address: string) {
    const username = formText(request.body, 'username').trim();
    const next = safeNext(formText(request.body, 'next'));
    const refuse = (error: string, status: number) => this.pages.render(request, reply, 'login', { title: 'Log in', next, username, error }, status);
    if (!username) return refuse('Enter your username or e-mail.', 400);
    try {
      await this.throttle.assertAllowed(username, address);
    } catch (error) {
      if (ApiError.is(error)) return refuse(error.message, error.status);
      throw error;
    }
    if (!(await this.sessions.open(request, reply, username, formText(request.body, 'password')))) {
      await this.throttle.failed(username, address);
      return refuse('Wrong username or password.', 401);
    }
    await this.throttle.succeeded(username);
    return reply.redirect(next, 303);
  }

  @Post('ui/logout')
  async logout(@Req() request: UiRequest, @Res() reply: FastifyReply) {
    await this.sessions.close(request, reply);
    return reply.redirect('/ui/login', 303);
  }
}

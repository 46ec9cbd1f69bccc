import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RequirePermissions } from '../authorization/require-permissions.decorator';
import { ALL_MANAGE_PERMISSIONS } from '../integrations/integration-grants';
import { EVENT_CATALOG } from '../integrations/outgoing/event-catalog';
import { UiExceptionFilter } from './ui-exception.filter';
import { UiPages } from './ui-pages';
import { UiRequest } from './ui-request';
import { UiRoute } from './ui-route.decorator';

/** The event catalog (integrations.events) for people: what each outgoing event sends, with an example and its schema. */
@UiRoute()
@UseFilters(UiExceptionFilter)
@RequirePermissions(...ALL_MANAGE_PERMISSIONS)
@Controller('ui/events')
export class EventsPageController {
  constructor(private readonly pages: UiPages) {}

  @Get()
  show(@Req() request: UiRequest, @Res() reply: FastifyReply) {
    return this.pages.render(request, reply, 'events', { title: 'Outgoing events', events: EVENT_CATALOG });
  }
}

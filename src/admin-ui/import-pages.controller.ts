import { Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RequirePermissions } from '../authorization/require-permissions.decorator';
import { ApiError } from '../core/http/api-error';
import { ImportIntegrations, ImportSource, summaryOf } from '../integrations/import/import-integrations';
import { ImportJobs } from '../integrations/import/import-jobs';
import { IntegrationExport } from '../integrations/import/integration-export';
import { MANAGE } from '../integrations/integration-grants';
import { User } from '../users/entities/user.entity';
import { CsrfRefused } from './ui-errors';
import { UiExceptionFilter } from './ui-exception.filter';
import { UiPages } from './ui-pages';
import { formText, UiRequest } from './ui-request';
import { UiRoute } from './ui-route.decorator';
import { multipartCsrfMatches } from './ui-sessions';

/** A job's page reloads itself this often while the import runs. */
const REFRESH_S = 1;
/** A running job not heard from for this long was left by a server that stopped. */
const STALE_MS = 5 * 60_000;

/**
 * "Import from Rocket.Chat": a server (URL, user id, personal access token) or an uploaded export
 * gives a plan (the dry run) kept as a job; Apply runs it in the server with its progress, and the
 * outcome is the command's. Also the export's download. Holders of both all-integrations
 * permissions only (ImportIntegrations checks).
 */
@UiRoute({ multipart: true })
@UseFilters(UiExceptionFilter)
@RequirePermissions(MANAGE.allIncoming, MANAGE.allOutgoing)
@Controller('ui/import')
export class ImportPagesController {
  constructor(
    private readonly pages: UiPages,
    private readonly imports: ImportIntegrations,
    private readonly jobs: ImportJobs,
    private readonly exports: IntegrationExport,
  ) {}

  @Get()
  async form(@Req() request: UiRequest, @Res() reply: FastifyReply) {
    await this.imports.assertMayImport(request.user as User);
    return this.pages.render(request, reply, 'import', { title: 'Import from Rocket.Chat' });
  }

  /** The plan: the source is read and dry-run, then shown on the job's page (post/redirect/get). */
  @Post()
  async plan(@Req() request: UiRequest, @Res() reply: FastifyReply) {
    const me = request.user as User;
    const { source, label } = request.isMultipart() ? await uploadedSource(request) : serverSource(request);
    try {
      const id = await this.imports.planJob(me, source, label);
      return this.pages.redirect(request, reply, `/ui/import/${id}`);
    } catch (error) {
      if (!ApiError.is(error) || error.status !== 400) throw error;
      return this.pages.render(request, reply, 'import', { title: 'Import from Rocket.Chat', error: error.message, form: 'url' in source ? { url: source.url, userId: source.userId } : {} }, 400);
    }
  }

  /** Every integration in Rocket.Chat's stored shape, as a file. */
  @Get('export.json')
  async download(@Req() request: UiRequest, @Res() reply: FastifyReply) {
    await this.imports.assertMayImport(request.user as User);
    const documents = await this.exports.all();
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="hookline-integrations-${new Date().toISOString().slice(0, 10)}.json"`)
      .header('cache-control', 'no-store')
      .send(`${JSON.stringify(documents, null, 2)}\n`);
  }

  @Get(':id')
  async job(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const job = await this.jobs.find(request.user as User, id);
    if (!job) throw ApiError.failure('There is no such import (it may be older than a day).', 404);
    const stale = job.state === 'running' && Date.now() - job.updatedAt.getTime() > STALE_MS;
    const lines = job.result ?? job.plan;
    if (job.state === 'running' && !stale) reply.header('refresh', String(REFRESH_S));
    return this.pages.render(request, reply, 'import-job', {
      title: 'Import from Rocket.Chat',
      job: { id: job.id, source: job.source, state: stale ? 'stopped' : job.state, total: job.total, done: job.done, error: job.error },
      planned: job.state === 'planned',
      running: job.state === 'running' && !stale,
      lines,
      summary: summaryOf(lines),
    });
  }

  @Post(':id/apply')
  async apply(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const started = await this.imports.applyJob(request.user as User, id);
    return this.pages.redirect(request, reply, `/ui/import/${id}`, started ? 'Import started.' : undefined);
  }
}

/** A Rocket.Chat server's address and an admin's personal access token (the token is not kept). */
function serverSource(request: UiRequest): { source: ImportSource; label: string } {
  const url = formText(request.body, 'url').trim();
  const userId = formText(request.body, 'userId').trim();
  const token = formText(request.body, 'token').trim();
  if (!url || !userId || !token) throw ApiError.failure('Give the server URL, the user id and the personal access token, or upload an export.');
  return { source: { url, userId, token }, label: url };
}

/** An uploaded export: the form token comes first (the guard left it to us), then the file. */
async function uploadedSource(request: UiRequest): Promise<{ source: ImportSource; label: string }> {
  const parts = request.parts();
  const first = await parts.next();
  if (!multipartCsrfMatches(first.done ? undefined : first.value, request.csrfToken)) throw new CsrfRefused();
  for await (const part of parts) {
    if (part.type !== 'file' || part.fieldname !== 'export') continue;
    const text = (await part.toBuffer()).toString('utf8');
    return { source: { exportText: text, name: part.filename || 'the uploaded file' }, label: part.filename || 'an uploaded export' };
  }
  throw ApiError.failure('Choose an export file (mongoexport --jsonArray of rocketchat_integrations, or a Hookline export).');
}

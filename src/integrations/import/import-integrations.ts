import { Injectable, Logger } from '@nestjs/common';
import { ImportJobs } from './import-jobs';
import { OutgoingHttp } from '../../core/outgoing-http/outgoing-http';
import { ApiError } from '../../core/http/api-error';
import { User } from '../../users/entities/user.entity';
import { IntegrationPermissions } from '../integration-permissions';
import { ImportLine, ImportOutcome, RocketChatImportService } from './rocketchat-import.service';
import { fetchIntegrations, HttpGet, ImportSourceError, parseExport, plainJson, SourceDocument } from './rocketchat-source';

/** Where the running server reads Rocket.Chat's integrations from: its REST API, or an export's documents. */
export type ImportSource = { url: string; userId: string; token: string } | { documents: unknown[] } | { exportText: string; name: string };

export type ImportSummary = Record<ImportOutcome, number>;

/** A page of a Rocket.Chat server's list: small enough to stay under the outgoing client's 1 MiB answer cap with scripts. */
const SERVER_PAGE_SIZE = 20;
const FETCH_TIMEOUT_MS = 30_000;

export function summaryOf(lines: ImportLine[]): ImportSummary {
  const summary: ImportSummary = { create: 0, update: 0, skip: 0, conflict: 0, fail: 0 };
  for (const line of lines) summary[line.outcome] += 1;
  return summary;
}

/**
 * Import from Rocket.Chat inside the running server (the API's `integrations.import` and the admin
 * UI's page), through the command's own import service. Only a holder of both all-integrations
 * permissions may import: an import writes integrations of both types, for any creator. A
 * Rocket.Chat server is reached through the outgoing URL policy's client.
 */
@Injectable()
export class ImportIntegrations {
  constructor(
    private readonly importer: RocketChatImportService,
    private readonly grantsOf: IntegrationPermissions,
    private readonly http: OutgoingHttp,
    private readonly jobs: ImportJobs,
  ) {}

  private readonly logger = new Logger('Import');

  async assertMayImport(caller: User): Promise<void> {
    const grants = await this.grantsOf.of(caller);
    if (!grants.allIncoming || !grants.allOutgoing) throw ApiError.forbidden();
  }

  /**
   * Imports (or, with `dryRun`, plans) what the source holds. The permission comes first, before
   * the request is read (`sourceOf`) and before any request is made to a server on the caller's behalf.
   */
  async importFrom(caller: User, sourceOf: () => ImportSource, dryRun: boolean): Promise<{ documents: SourceDocument[]; lines: ImportLine[]; summary: ImportSummary }> {
    await this.assertMayImport(caller);
    const documents = await this.documentsOf(sourceOf());
    const lines = await this.importer.run(documents, { dryRun, actor: caller });
    return { documents, lines, summary: summaryOf(lines) };
  }

  /** The admin UI's first step: the plan (a dry run), kept as a job with its documents until applied. */
  async planJob(caller: User, source: ImportSource, label: string): Promise<string> {
    const { documents, lines } = await this.importFrom(caller, () => source, true);
    return this.jobs.plan(caller, label, documents, lines);
  }

  /** The source's documents; a source that cannot be read is a 400 saying why in one line. */
  private async documentsOf(source: ImportSource): Promise<SourceDocument[]> {
    try {
      if ('documents' in source) return source.documents.map((d) => plainJson(d) as SourceDocument);
      if ('exportText' in source) return parseExport(source.exportText, source.name);
      return await fetchIntegrations(source.url, source.userId, source.token, this.get, SERVER_PAGE_SIZE);
    } catch (error) {
      if (error instanceof ImportSourceError) throw ApiError.failure(error.message);
      throw error;
    }
  }

  /**
   * Runs a planned job in the background of this process (its progress and outcome are written
   * to the job, so any process's page shows them); false when it is not planned any more.
   */
  async applyJob(caller: User, id: string): Promise<boolean> {
    await this.assertMayImport(caller);
    const documents = await this.jobs.start(caller, id);
    if (!documents) return false;
    void this.runJob(caller, id, documents);
    return true;
  }

  private async runJob(caller: User, id: string, documents: SourceDocument[]): Promise<void> {
    try {
      const lines = await this.importer.run(documents, { dryRun: false, actor: caller, onProgress: (done) => this.jobs.progress(id, done) });
      await this.jobs.finish(id, lines);
    } catch (error) {
      this.logger.warn(`import ${id} stopped: ${(error as Error).message}`);
      await this.jobs.fail(id, (error as Error).message).catch(() => undefined);
    }
  }

  private readonly get: HttpGet = async (url, headers) => {
    const response = await this.http.send(url, { method: 'GET', headers, timeoutMs: FETCH_TIMEOUT_MS });
    return { status: response.status, body: response.body };
  };
}

/** An import line as the API answers it. */
export function toApiImportLine(line: ImportLine): Record<string, unknown> {
  return { _id: line.id, name: line.name, type: line.type, outcome: line.outcome, ...(line.reason ? { reason: line.reason } : {}), notes: line.notes };
}

/** What `integrations.import` is given: a Rocket.Chat server, or the documents of an export; and whether to plan only. */
export type ImportBody = { url?: string; userId?: string; token?: string; documents?: unknown[]; dryRun?: boolean };

/** Exactly one source: a server (url, userId and token together) or the documents of an export. */
export function importSourceOf(body: ImportBody): ImportSource {
  const server = body.url !== undefined || body.userId !== undefined || body.token !== undefined;
  if (server === (body.documents !== undefined)) throw ApiError.failure('Give either url, userId and token of a Rocket.Chat server, or documents (an export of its integrations).');
  if (body.documents) return { documents: body.documents };
  if (!body.url || !body.userId || !body.token) throw ApiError.failure('A Rocket.Chat server needs url, userId and token together.');
  return { url: body.url, userId: body.userId, token: body.token };
}

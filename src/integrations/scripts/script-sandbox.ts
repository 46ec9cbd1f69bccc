import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../core/config/app-config';
import { Integration } from '../entities/integration.entity';
import { OutgoingHttp, UrlPolicyError } from '../../core/outgoing-http/outgoing-http';
import { MetricsService } from '../../metrics/metrics.service';
import { CompiledScript, ScriptFailure, ScriptFetchResult } from './compiled-script';

interface CacheEntry {
  version: number;
  script: Promise<CompiledScript>;
}

/**
 * Runs integration scripts in isolated-vm: one isolate per integration, compiled on first use and
 * kept until the integration's `_updatedAt` changes (or the isolate is disposed by a limit).
 * Script output goes to the server log, tagged with the integration.
 */
@Injectable()
export class ScriptSandbox implements OnModuleDestroy {
  private readonly logger = new Logger('Script');
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly config: AppConfig,
    private readonly http: OutgoingHttp,
    private readonly metrics: MetricsService,
  ) {}

  /** False when DISABLE_INTEGRATION_SCRIPTS is set or the integration has nothing to run. */
  shouldRun(integration: Integration): boolean {
    return !this.config.scripts.disabled && integration.scriptEnabled === true && !!integration.scriptCompiled?.trim();
  }

  async call(integration: Integration, method: string, args: unknown): Promise<unknown> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const result = await (await this.load(integration)).call(method, args);
      this.metrics.scriptRun(method, seconds());
      return result;
    } catch (error) {
      this.metrics.scriptRun(method, seconds(), error instanceof ScriptFailure ? error.code : 'error');
      throw error;
    }
  }

  async hasMethod(integration: Integration, method: string): Promise<boolean> {
    return (await this.load(integration)).hasMethod(method);
  }

  private async load(integration: Integration): Promise<CompiledScript> {
    const version = integration.updatedAt.getTime();
    const cached = this.cache.get(integration.id);
    if (cached?.version === version) {
      const script = await cached.script.catch(() => undefined);
      if (script && !script.disposed) return script;
    }
    if (cached) void cached.script.then((s) => s.dispose(), () => undefined);
    const tag = `integration ${integration.id} (${integration.name})`;
    const script = CompiledScript.load(integration.scriptCompiled ?? '', this.config.scripts, {
      log: (level, text) => {
        const write = level === 'error' ? this.logger.error : level === 'warn' ? this.logger.warn : level === 'debug' ? this.logger.debug : this.logger.log;
        write.call(this.logger, `${tag}: ${text}`);
      },
      fetch: (url, optionsJson) => this.fetch(tag, url, optionsJson),
    });
    this.cache.set(integration.id, { version, script });
    script.catch(() => this.cache.delete(integration.id));
    return script;
  }

  /** A script's fetch: the host's HTTP client, its URL policy, and the script's time limit. */
  private async fetch(tag: string, url: string, optionsJson: string): Promise<ScriptFetchResult> {
    try {
      const options = JSON.parse(optionsJson) as { method?: unknown; headers?: unknown; body?: unknown };
      const headers = typeof options.headers === 'object' && options.headers !== null ? stringValues(options.headers as Record<string, unknown>) : undefined;
      const response = await this.http.send(url, {
        method: typeof options.method === 'string' ? options.method : 'GET',
        headers,
        body: typeof options.body === 'string' ? options.body : undefined,
        timeoutMs: this.config.scripts.timeoutMs,
      });
      return { status: response.status, statusText: '', ok: response.status >= 200 && response.status < 300, url, headers: response.headers, body: response.body };
    } catch (error) {
      const reason = error instanceof UrlPolicyError ? error.message : `fetch failed: ${(error as Error).message}`;
      this.logger.warn(`${tag}: fetch ${url} refused or failed: ${reason}`);
      return { error: reason };
    }
  }

  onModuleDestroy(): void {
    for (const entry of this.cache.values()) void entry.script.then((s) => s.dispose(), () => undefined);
    this.cache.clear();
  }
}

function stringValues(record: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, String(v)]));
}

import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../core/config/app-config';
import { Integration } from '../entities/integration.entity';
import { OutgoingHttp, UrlPolicyError } from '../../core/outgoing-http/outgoing-http';
import { MetricsService } from '../../metrics/metrics.service';
import { SecretsVault } from '../secrets/secrets-vault';
import { CompiledScript, ScriptFailure, ScriptFetchResult } from './compiled-script';

/** A line a script logged during a dry run. */
export interface ScriptLogLine {
  level: string;
  text: string;
}

interface CacheEntry {
  version: number;
  script: Promise<CompiledScript>;
  /** Set once compiled: a limit may have disposed it since. */
  compiled?: CompiledScript;
  /** Calls running in it: an isolate in use is never evicted. */
  calls: number;
  /** Hides the integration's secret values in what its failures say (known once its secrets are read). */
  masking: { mask: (text: string) => string };
}

/**
 * Runs integration scripts in isolated-vm: one isolate per integration, compiled on first use and
 * kept until the integration's `_updatedAt` changes (or the isolate is disposed by a limit). At
 * most SCRIPT_ISOLATES_MAX stay alive (about 1 MB each): past it the least recently used idle one
 * is disposed, and compiled again on its next call. Script output goes to the server log, tagged
 * with the integration.
 */
@Injectable()
export class ScriptSandbox implements OnModuleDestroy {
  private readonly logger = new Logger('Script');
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly config: AppConfig,
    private readonly http: OutgoingHttp,
    private readonly metrics: MetricsService,
    private readonly vault: SecretsVault,
  ) {}

  /** False when DISABLE_INTEGRATION_SCRIPTS is set or the integration has nothing to run. */
  shouldRun(integration: Integration): boolean {
    return !this.config.scripts.disabled && integration.scriptEnabled === true && !!integration.scriptCompiled?.trim();
  }

  async call(integration: Integration, method: string, args: unknown): Promise<unknown> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const result = await this.using(integration, (script) => script.call(method, args));
      this.metrics.scriptRun(method, seconds());
      return result;
    } catch (error) {
      this.metrics.scriptRun(method, seconds(), error instanceof ScriptFailure ? error.code : 'error');
      throw error;
    }
  }

  async hasMethod(integration: Integration, method: string): Promise<boolean> {
    return this.using(integration, (script) => script.hasMethod(method));
  }

  /** Masks the integration's script secrets in a text (what its loaded script could have put there); unchanged when no script is loaded. */
  maskSecrets(integration: Integration, text: string): string {
    return this.cache.get(integration.id)?.masking.mask(text) ?? text;
  }

  /** How many isolates are alive (or being compiled) now. */
  get size(): number {
    return this.cache.size;
  }

  /** Runs `work` on the integration's isolate, which is not evicted meanwhile. */
  private async using<T>(integration: Integration, work: (script: CompiledScript) => Promise<T>): Promise<T> {
    const entry = this.load(integration);
    entry.calls += 1;
    try {
      return await work(await entry.script);
    } catch (error) {
      // A failure's message goes to logs and history: a secret the script put in it does not.
      if (error instanceof ScriptFailure) throw new ScriptFailure(error.code, entry.masking.mask(error.message), error.at);
      throw error;
    } finally {
      entry.calls -= 1;
      this.evictBeyondLimit();
    }
  }

  /** The integration's entry, most recently used from now on. */
  private load(integration: Integration): CacheEntry {
    const version = integration.updatedAt.getTime();
    const cached = this.cache.get(integration.id);
    if (cached) this.cache.delete(integration.id);
    if (cached?.version === version && !cached.compiled?.disposed) {
      this.cache.set(integration.id, cached);
      return cached;
    }
    if (cached) void cached.script.then((s) => s.dispose(), () => undefined);
    const tag = `integration ${integration.id} (${integration.name})`;
    const masking = { mask: (text: string) => text };
    const script = this.secretsOf(integration).then((env) => {
      const mask = masker(Object.values(env));
      masking.mask = mask;
      return CompiledScript.load(integration.scriptCompiled ?? '', this.config.scripts, {
        log: (level, text) => {
          const line = `${tag}: ${mask(text)}`;
          if (level === 'error') this.logger.error(line);
          else if (level === 'warn') this.logger.warn(line);
          else if (level === 'debug') this.logger.debug(line);
          else this.logger.log(line);
        },
        fetch: (url, optionsJson) => this.fetch(tag, url, optionsJson),
        env,
      });
    });
    const entry: CacheEntry = { version, script, calls: 0, masking };
    this.cache.set(integration.id, entry);
    script.then(
      (compiled) => (entry.compiled = compiled),
      () => this.cache.get(integration.id) === entry && this.cache.delete(integration.id),
    );
    return entry;
  }

  /** Disposes the least recently used idle isolates while more than SCRIPT_ISOLATES_MAX are alive. */
  private evictBeyondLimit(): void {
    let excess = this.cache.size - this.config.scriptIsolates;
    for (const [id, entry] of this.cache) {
      if (excess <= 0) break;
      if (entry.calls > 0) continue;
      this.cache.delete(id);
      void entry.script.then((s) => s.dispose(), () => undefined);
      excess -= 1;
    }
  }

  /**
   * A dry run: `source` in an isolate of its own (never cached, disposed after), with the
   * integration's secrets and the same limits and fetch policy; what it logs goes to `logs`
   * (secret values masked), not to the server log.
   */
  async trial<T>(
    integration: Integration,
    source: string,
    logs: ScriptLogLine[],
    work: (script: CompiledScript, mask: (text: string) => string) => Promise<T>,
  ): Promise<T> {
    const env = await this.secretsOf(integration);
    const mask = masker(Object.values(env));
    const tag = `dry run of integration ${integration.id} (${integration.name})`;
    let script: CompiledScript | undefined;
    try {
      script = await CompiledScript.load(source, this.config.scripts, {
        log: (level, text) => logs.push({ level, text: mask(text) }),
        fetch: (url, optionsJson) => this.fetch(tag, url, optionsJson),
        env,
      });
      return await work(script, mask);
    } catch (error) {
      if (error instanceof ScriptFailure) throw new ScriptFailure(error.code, mask(error.message), error.at);
      throw error;
    } finally {
      script?.dispose();
    }
  }

  /** Only an integration that has secrets costs a read (and its isolate is rebuilt when they change: an update moves `_updatedAt`). */
  private async secretsOf(integration: Integration): Promise<Record<string, string>> {
    return integration.secretNames?.length ? this.vault.environment(integration.id) : {};
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

/** Values this short are not masked: masking every "a" would garble the log and hide nothing. */
const SHORTEST_MASKED = 4;

/** Replaces every secret value in a script's log line (or a dry run's answer) with `***`. */
export function masker(values: string[]): (text: string) => string {
  const masked = values.filter((v) => v.length >= SHORTEST_MASKED).sort((a, b) => b.length - a.length);
  if (!masked.length) return (text) => text;
  return (text) => masked.reduce((out, value) => out.split(value).join('***'), text);
}

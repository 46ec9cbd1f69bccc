import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { lookup } from 'node:dns';
import { Agent, request } from 'undici';
import { AppConfig } from '../config/app-config';
import { UrlPolicy, UrlPolicyError } from './url-policy';

export interface OutgoingRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface OutgoingResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Responses larger than this are cut off: a remote must not fill the server's memory. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * The one HTTP client for requests Hookline makes on others' behalf (outgoing webhooks, script
 * `fetch`). Every request obeys the URL policy: the host name is checked, and every address DNS
 * returns is checked right where the connection is made, so a name cannot resolve to a denied
 * address between the check and the connect.
 */
@Injectable()
export class OutgoingHttp implements OnModuleDestroy {
  readonly policy: UrlPolicy;
  private readonly agent: Agent;

  constructor(config: AppConfig) {
    this.policy = new UrlPolicy(config.outgoing);
    this.agent = new Agent({
      connect: {
        lookup: (hostname, options, callback) => {
          lookup(hostname, { ...options, all: true }, (error, addresses) => {
            if (error) return callback(error, '', 0);
            try {
              for (const a of addresses) this.policy.checkAddress(a.address);
            } catch (denied) {
              return callback(denied as Error, '', 0);
            }
            const first = addresses[0];
            return options.all ? (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses) : callback(null, first.address, first.family);
          });
        },
      },
    });
  }

  async send(url: string, init: OutgoingRequest): Promise<OutgoingResponse> {
    this.policy.checkUrl(url);
    // The whole exchange, body included, within timeoutMs. A timer cleared when the exchange ends
    // rather than AbortSignal.timeout, whose timer and weak references outlive every request.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), init.timeoutMs).unref();
    try {
      const response = await request(url, {
        method: (init.method ?? 'GET').toUpperCase() as 'GET',
        headers: init.headers,
        body: init.body,
        dispatcher: this.agent,
        headersTimeout: init.timeoutMs,
        bodyTimeout: init.timeoutMs,
        signal: deadline.signal,
        maxRedirections: 0,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > MAX_RESPONSE_BYTES) {
          response.body.destroy();
          break;
        }
        chunks.push(chunk as Buffer);
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { status: response.statusCode, headers, body: Buffer.concat(chunks).toString('utf8') };
    } finally {
      clearTimeout(timer);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }
}

export { UrlPolicyError };

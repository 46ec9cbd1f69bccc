import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { driverPool } from '../core/database/driver-pool';
import { PreparedStatements } from '../core/database/prepared-statements';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/** A delivery attempt's end, as the metrics count it. */
export type DeliveryOutcome = 'delivered' | 'failed' | 'retry' | 'dropped' | 'paused';

/** What the queue gauges read. */
export interface DeliveryQueueFigures {
  depth(): Promise<number>;
  oldestDueSeconds(): Promise<number>;
}

/**
 * The server's Prometheus metrics (`prom-client`), in a registry of its own: HTTP requests by
 * route and status, hook calls by integration, deliveries by outcome, the queue's depth and the age
 * of its oldest waiting delivery, script run time and failures, the database pool, and Node's own
 * (event-loop lag, heap, CPU).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({ name: 'hookline_http_requests_total', help: 'HTTP requests answered, by route pattern, method and status', labelNames: ['route', 'method', 'status'], registers: [this.registry] });
  private readonly httpDuration = new Histogram({
    name: 'hookline_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by route pattern',
    labelNames: ['route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly hookCalls = new Counter({ name: 'hookline_hook_calls_total', help: 'Incoming webhook calls of existing integrations, by integration and status', labelNames: ['integration', 'status'], registers: [this.registry] });
  private readonly hookHistoryDrops = new Counter({ name: 'hookline_hook_history_dropped_total', help: 'Incoming call records dropped unwritten (a full buffer, or a failed write)', registers: [this.registry] });
  private readonly deliveries = new Counter({ name: 'hookline_deliveries_total', help: 'Outgoing delivery attempts, by outcome (delivered, failed, retry, dropped, paused: held while the integration is disabled)', labelNames: ['outcome'], registers: [this.registry] });
  private readonly scriptDuration = new Histogram({
    name: 'hookline_script_run_seconds',
    help: 'Time integration script calls take, by method',
    labelNames: ['method'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5],
    registers: [this.registry],
  });
  private readonly scriptFailures = new Counter({ name: 'hookline_script_failures_total', help: 'Integration script calls that failed, by method and reason', labelNames: ['method', 'reason'], registers: [this.registry] });

  private readonly statements = new Counter({ name: 'hookline_db_statements_total', help: 'SQL statements this process sent to the database (BEGIN and COMMIT included)', registers: [this.registry] });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    prepared: PreparedStatements,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'hookline_' });
    dataSource.subscribers.push({ afterQuery: () => this.statements.inc() });
    prepared.onStatement(() => this.statements.inc());
    const pool = () => driverPool(this.dataSource);
    new Gauge({
      name: 'hookline_db_pool_connections',
      help: 'Database pool connections of this process, by state (total, idle, waiting requests)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const p = pool();
        if (!p) return;
        this.set({ state: 'total' }, p.totalCount);
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
      },
    });
  }

  /** Publishes the delivery queue's depth and the age of its oldest due delivery, read from `queue` at each scrape. */
  watchDeliveryQueue(queue: DeliveryQueueFigures): void {
    new Gauge({
      name: 'hookline_delivery_queue_depth',
      help: 'Outgoing deliveries waiting or running',
      registers: [this.registry],
      async collect() {
        this.set(await queue.depth());
      },
    });
    new Gauge({
      name: 'hookline_delivery_oldest_pending_seconds',
      help: 'Age of the oldest delivery that is due and waiting (0 when none)',
      registers: [this.registry],
      async collect() {
        this.set(await queue.oldestDueSeconds());
      },
    });
  }

  httpRequest(route: string, method: string, status: number, seconds: number): void {
    this.httpRequests.inc({ route, method, status: String(status) });
    this.httpDuration.observe({ route }, seconds);
  }

  hookCall(integrationId: string, status: number): void {
    this.hookCalls.inc({ integration: integrationId, status: String(status) });
  }

  hookHistoryDropped(count: number): void {
    this.hookHistoryDrops.inc(count);
  }

  delivery(outcome: DeliveryOutcome): void {
    this.deliveries.inc({ outcome });
  }

  scriptRun(method: string, seconds: number, failure?: string): void {
    this.scriptDuration.observe({ method }, seconds);
    if (failure) this.scriptFailures.inc({ method, reason: failure });
  }
}

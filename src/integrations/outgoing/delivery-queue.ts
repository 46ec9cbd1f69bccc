import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Delivery } from '../entities/delivery.entity';
import { newMessageId } from './request-signer';

export interface NewDelivery {
  integrationId: string;
  event: string;
  url: string;
  payload: Record<string, unknown>;
  replayOf?: string;
}

const INSERT_CHUNK = 1000;

/** The durable queue of outgoing deliveries (a table in the same database as everything else). */
@Injectable()
export class DeliveryQueue {
  private readonly listeners = new Set<() => void>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Queues the deliveries with one INSERT; call `announce()` once that has committed. */
  async enqueue(jobs: NewDelivery[], m: EntityManager = this.dataSource.manager): Promise<void> {
    if (jobs.length === 0) return;
    const rows = jobs.map((job) => ({
      integrationId: job.integrationId,
      event: job.event,
      messageId: newMessageId(),
      url: job.url,
      payload: job.payload,
      replayOf: job.replayOf ?? null,
    }));
    // Chunks keep each statement well under PostgreSQL's 65,535 parameters.
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK) as QueryDeepPartialEntity<Delivery>[];
      await m.createQueryBuilder().insert().into(Delivery).values(chunk).updateEntity(false).execute();
    }
  }

  /** Tells this process's worker that committed deliveries are waiting. */
  announce(): void {
    for (const listener of this.listeners) listener();
  }

  onAnnounced(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** Deliveries of this integration not yet finished (waiting, running or waiting to retry). */
  openFor(integrationId: string): Promise<number> {
    return this.dataSource.manager.countBy(Delivery, { integrationId });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Delivery } from '../entities/delivery.entity';

export interface NewDelivery {
  integrationId: string;
  event: string;
  url: string;
  payload: Record<string, unknown>;
  replayOf?: string;
}

/** The durable queue of outgoing deliveries (a table in the same database as everything else). */
@Injectable()
export class DeliveryQueue {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async enqueue(job: NewDelivery, m: EntityManager = this.dataSource.manager): Promise<void> {
    await m.insert(Delivery, {
      integrationId: job.integrationId,
      event: job.event,
      url: job.url,
      payload: job.payload,
      replayOf: job.replayOf ?? null,
    } as QueryDeepPartialEntity<Delivery>);
  }

  /** Deliveries of this integration not yet finished (waiting, running or waiting to retry). */
  openFor(integrationId: string): Promise<number> {
    return this.dataSource.manager.countBy(Delivery, { integrationId });
  }
}

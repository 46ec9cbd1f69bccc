import { Injectable } from '@nestjs/common';

/**
 * Whether the server is shutting down: from the signal on, readiness answers 503 so load
 * balancers stop sending traffic, while requests already on their way are still served.
 */
@Injectable()
export class Draining {
  private since?: Date;

  get active(): boolean {
    return this.since !== undefined;
  }

  start(): void {
    this.since ??= new Date();
  }
}

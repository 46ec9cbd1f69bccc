import { Injectable, Logger } from '@nestjs/common';
import { ChangeFeed, EVERYTHING } from '../../core/database/change-feed';
import { IntegrationStore } from '../integration-store';

/**
 * Which events some enabled outgoing integration listens to, kept in memory and reloaded whenever
 * an integration changes. "Unknown" (while reloading, or while change notifications are down) is
 * answered as such, and the outbox then records the event for dispatch: a spare wake is cheap, a
 * missed delivery is not.
 */
@Injectable()
export class ListenedEvents {
  private readonly logger = new Logger('ListenedEvents');
  private events?: ReadonlySet<string>;
  private generation = 0;
  private loading = false;

  constructor(
    private readonly integrations: IntegrationStore,
    private readonly changes: ChangeFeed,
  ) {
    changes.onChange((table) => {
      if (table !== 'integrations' && table !== EVERYTHING) return;
      this.events = undefined;
      this.generation += 1;
      this.load();
    });
  }

  /** Whether an integration listens to `event`; undefined while that is not known. */
  wants(event: string): boolean | undefined {
    if (!this.changes.live) return undefined;
    if (!this.events) {
      this.load();
      return undefined;
    }
    return this.events.has(event);
  }

  private load(): void {
    if (this.loading || !this.changes.live) return;
    this.loading = true;
    const generation = this.generation;
    this.integrations
      .listenedEvents()
      .then((events) => {
        if (generation === this.generation) this.events = new Set(events);
      })
      .catch((error: Error) => this.logger.debug(`could not read the listened events: ${error.message}`))
      .finally(() => {
        this.loading = false;
        // Changed while loading: what was read may be stale already.
        if (generation !== this.generation) this.load();
      });
  }
}

import { DomainEventName } from '../../src/events/domain-events';
import { OutboxService } from '../../src/events/outbox.service';
import { TestApp } from './test-app';

export interface RecordedEvent {
  event: DomainEventName;
  payload: Record<string, any>;
}

/** Watches the outbox: `since()` returns the events committed after the watcher was (re)started. */
export async function watchOutbox(t: TestApp) {
  const outbox = t.app.get(OutboxService);
  const latest = async () => (await outbox.readAfter(0, 100000)).at(-1)?.id ?? '0';
  let mark = await latest();
  return {
    async since(): Promise<RecordedEvent[]> {
      return (await outbox.readAfter(mark, 100000)).map((e) => ({ event: e.event, payload: e.payload }));
    },
    async reset(): Promise<void> {
      mark = await latest();
    },
  };
}

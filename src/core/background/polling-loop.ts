import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DatabaseAvailability } from '../database/database-availability';

/** What `tick()` returns when more work is probably waiting right away. */
export const AT_ONCE = 0;
/** What `tick()` returns when only a `nudge()` brings more work. */
export const WHEN_NUDGED = Number.POSITIVE_INFINITY;

/**
 * A background loop that runs while the application does: `tick()` does a round of work and says
 * how long to sleep before the next (`AT_ONCE`, a number of milliseconds, or `WHEN_NUDGED`);
 * `nudge()` ends a sleep early. A failing round is logged and retried after a pause. Shutdown
 * waits for the current round.
 */
export abstract class PollingLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  protected abstract readonly logger: Logger;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** A nudge that came while a round was running: the next sleep is skipped. */
  private nudged = false;

  /** `database`: while it is out of reach, failed rounds wait quietly (it logs the outage once). */
  constructor(private readonly database?: DatabaseAvailability) {}

  /** One round of work; returns how long to sleep before the next. */
  protected abstract tick(): Promise<number>;

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.loop;
  }

  /** Ends the current sleep early (new work is known to be waiting). */
  nudge(): void {
    if (this.wake) this.wake();
    else this.nudged = true;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.nudged = false;
      let pause = AT_ONCE;
      try {
        pause = await this.tick();
      } catch (error) {
        if (!this.database?.report(error)) this.logger.error(`${(error as Error).message}; retrying in a second`);
        pause = 1000;
      }
      if (pause > 0 && !this.nudged && this.running) await this.sleep(pause);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.wake = undefined;
        resolve();
      };
      // setTimeout holds at most 2^31-1 ms; past that (and for WHEN_NUDGED) only a nudge wakes.
      const timer = ms < 2 ** 31 ? setTimeout(done, ms) : undefined;
      this.wake = () => {
        clearTimeout(timer);
        done();
      };
    });
  }
}

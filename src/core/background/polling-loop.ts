import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DatabaseAvailability } from '../database/database-availability';

/**
 * A background loop that runs while the application does: `tick()` does a round of work and says
 * whether there may be more right away; otherwise the loop sleeps `idleMs` (or until `nudge()`).
 * A failing round is logged and retried after a pause. Shutdown waits for the current round.
 */
export abstract class PollingLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  protected abstract readonly logger: Logger;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** A nudge that came while a round was running: the next sleep is skipped. */
  private nudged = false;

  /** `database`: while it is out of reach, failed rounds wait quietly (it logs the outage once). */
  constructor(
    private readonly idleMs: number,
    private readonly database?: DatabaseAvailability,
  ) {}

  /** One round of work; true when more is probably waiting. */
  protected abstract tick(): Promise<boolean>;

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
      let more = false;
      try {
        more = await this.tick();
      } catch (error) {
        if (!this.database?.report(error)) this.logger.error(`${(error as Error).message}; retrying in a second`);
        await this.sleep(1000);
      }
      if (!more && !this.nudged) await this.sleep(this.idleMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = () => {
        clearTimeout(timer);
        done();
      };
    });
  }
}

import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

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

  constructor(private readonly idleMs: number) {}

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

  /** Ends the current sleep early. */
  protected nudge(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let more = false;
      try {
        more = await this.tick();
      } catch (error) {
        this.logger.error(`${(error as Error).message}; retrying in a second`);
        await this.sleep(1000);
      }
      if (!more) await this.sleep(this.idleMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfig, ConfigurationError, loadConfig } from './core/config/app-config';
import { createApp } from './create-app';
import { flushLogs } from './core/logging/log-destination';
import { StartupError } from './core/startup-error';
import { startupSummary } from './startup-summary';
import { Draining } from './health/draining';
import { isolatedVm } from './integrations/scripts/isolated-vm-loader';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { releaseStartupMemory } from './core/runtime/startup-memory';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\nSee the configuration table in README.md.\n`);
      process.exit(1);
    }
    throw error;
  }
  // The script sandbox is a native add-on: a Node.js it has no build for is named before anything starts.
  isolatedVm();
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  const logger = new Logger('Hookline');
  for (const line of await startupSummary(app, config, `${config.host}:${config.port}`)) logger.log(line);
  const memory = releaseStartupMemory();
  logger.debug(`Startup memory released: resident ${memory.beforeMb} MB, now ${memory.afterMb} MB`);
  flushLogs();
  stopOnSignals(app, config, logger);
}

/**
 * SIGTERM or SIGINT: readiness answers 503 at once while requests are still served for
 * SHUTDOWN_DRAIN_MS, then the port closes, deliveries in flight get up to SHUTDOWN_TIMEOUT_MS, the
 * database connections close (and the embedded database stops). A second signal stops at once.
 */
function stopOnSignals(app: NestFastifyApplication, config: AppConfig, logger: Logger): void {
  const stop = async (signal: NodeJS.Signals) => {
    process.once(signal, () => process.exit(1));
    const started = Date.now();
    logger.log(`Shutting down (${signal}): readiness answers 503${config.shutdown.drainMs ? ` for ${config.shutdown.drainMs} ms before the port closes` : ''}`);
    app.get(Draining).start();
    if (config.shutdown.drainMs) await new Promise((resolve) => setTimeout(resolve, config.shutdown.drainMs));
    await app.close();
    logger.log(`Stopped, ${Date.now() - started} ms after ${signal}`);
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, (s) => void stop(s));
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) {
    process.stderr.write(`Hookline failed to start: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`Hookline failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

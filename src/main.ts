import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigurationError, loadConfig } from './core/config/app-config';
import { createApp } from './create-app';
import { StartupError } from './core/startup-error';
import { startupSummary } from './startup-summary';

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
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  const logger = new Logger('Hookline');
  for (const line of await startupSummary(app, config, `${config.host}:${config.port}`)) logger.log(line);
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) {
    process.stderr.write(`Hookline failed to start: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`Hookline failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

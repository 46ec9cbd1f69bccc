import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, ConfigurationError, loadConfig } from '../core/config/app-config';
import { DataDirInUse } from '../core/database/data-dir-lock';
import { StartupError } from '../core/startup-error';
import { createApp } from '../create-app';

/** What a command prints when it cannot run, and exits 2 with. */
export class CommandFailure extends Error {}

/**
 * The application for a command (`import:rocketchat`, `export:rocketchat`) on the database
 * `npm start` would use, making no deliveries (a running server makes them). With the embedded
 * database held by a running server, it says where that server does the same work instead.
 */
export async function openCommandApp(serverWay: (config: AppConfig) => string): Promise<{ app: NestFastifyApplication; config: AppConfig }> {
  let config: AppConfig;
  try {
    config = loadConfig({ ...process.env, DELIVERY_CONCURRENCY: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  } catch (error) {
    if (error instanceof ConfigurationError) throw new CommandFailure(error.message);
    throw error;
  }
  try {
    const app = await createApp(config);
    await app.init().catch(async (error: unknown) => {
      await app.close();
      throw error;
    });
    return { app, config };
  } catch (error) {
    if (error instanceof DataDirInUse) {
      throw new CommandFailure(`a Hookline server (pid ${error.pid}) is running on ${error.dir}, which one process holds at a time. ${serverWay(config)}`);
    }
    if (error instanceof StartupError) throw new CommandFailure(error.message);
    throw error;
  }
}

/** Runs a command's main: exit code from it, one line on stderr for a failure it names. */
export function runCommand(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      const known = error instanceof CommandFailure;
      process.stderr.write(`${name}${known ? '' : ' failed'}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}

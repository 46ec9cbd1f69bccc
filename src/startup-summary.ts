import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { version } from '../package.json';
import { AppConfig } from './core/config/app-config';
import { withoutPassword } from './core/config/value-rules';

/** The few lines an operator needs once the server listens: what runs, where, and who can log in. */
export async function startupSummary(app: NestFastifyApplication, config: AppConfig, address: string): Promise<string[]> {
  const [{ admins }] = await app.get(DataSource).query<{ admins: number }[]>(`SELECT count(*)::int AS admins FROM users WHERE active AND 'admin' = ANY(roles)`);
  const database = config.usesEmbeddedDatabase
    ? `embedded PostgreSQL in ${config.dataDir === 'memory://' ? 'a temporary folder' : `${config.dataDir}/postgres`}`
    : `PostgreSQL at ${withoutPassword(config.databaseUrl as string)}`;
  return [
    `Hookline ${version} listening on ${address} (public URL ${config.rootUrl}); database: ${database}`,
    admins > 0
      ? `${admins} administrator${admins === 1 ? '' : 's'}; admin UI at ${config.rootUrl}/ui, API documentation at ${config.rootUrl}/api/docs`
      : `No administrator yet: open ${config.rootUrl}/ui to create the first one (or start once with ADMIN_USERNAME, ADMIN_PASS and ADMIN_EMAIL set)`,
  ];
}

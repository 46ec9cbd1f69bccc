import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CommandFailure, openCommandApp, runCommand } from './cli/command-app';
import { IntegrationExport } from './integrations/import/integration-export';

const USAGE = 'usage: npm run export:rocketchat -- [--file <export.json>]   (without --file: to standard output)';

/**
 * `npm run export:rocketchat`: every integration of this Hookline in Rocket.Chat's stored shape
 * (`mongoexport --jsonArray` of `rocketchat_integrations`), which `import:rocketchat --file` and
 * Rocket.Chat's `mongoimport --jsonArray` both read.
 */
async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: { file: { type: 'string' } } }).values;
  } catch (error) {
    throw new CommandFailure(`${(error as Error).message}\n${USAGE}`);
  }
  const { app } = await openCommandApp(
    (config) => `Export through it instead: the download on ${config.rootUrl}/ui/import, or GET ${config.rootUrl}/api/v1/integrations.export.`,
  );
  try {
    const documents = await app.get(IntegrationExport).all();
    const text = `${JSON.stringify(documents, null, 2)}\n`;
    if (args.file) {
      writeFileSync(args.file, text, { mode: 0o600 });
      process.stderr.write(`export:rocketchat: ${documents.length} integrations written to ${args.file} (it holds their tokens: keep it private)\n`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  } finally {
    await app.close();
  }
}

runCommand('export:rocketchat', main);

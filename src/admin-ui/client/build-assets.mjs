// Builds the admin UI's browser assets: bundles the script editor (CodeMirror) into
// public/vendor/editor.js with esbuild, and, with --dist, copies views and public files next to
// the compiled code in dist/ (where the server looks for them).
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const uiDir = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(uiDir, 'client', 'editor.ts')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  outfile: join(uiDir, 'public', 'vendor', 'editor.js'),
  logLevel: 'warning',
});
if (process.argv.includes('--dist')) {
  const target = join(uiDir, '..', '..', 'dist', 'src', 'admin-ui');
  mkdirSync(target, { recursive: true });
  for (const folder of ['views', 'public']) cpSync(join(uiDir, folder), join(target, folder), { recursive: true });
}

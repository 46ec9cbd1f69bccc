import fastifyCookie from '@fastify/cookie';
import fastifyView from '@fastify/view';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHandlebars } from './view-helpers';

/**
 * Templates and static files sit beside this file: in src/ when run from source (tests), copied
 * to dist/ by the build (`build-assets.mjs`), which also bundles the script editor into public/vendor.
 */
export const VIEWS_DIR = join(__dirname, 'views');
export const PUBLIC_DIR = join(__dirname, 'public');
export const EDITOR_BUNDLE = join(PUBLIC_DIR, 'vendor', 'editor.js');

/** Cookies, the template engine and /ui/assets for the admin UI. */
export async function registerAdminUiPlugins(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyCookie);
  const partials = Object.fromEntries(
    readdirSync(join(VIEWS_DIR, 'partials')).map((file) => [file.replace(/\.hbs$/, ''), join('partials', file)]),
  );
  await app.register(fastifyView, { engine: { handlebars: createHandlebars() }, root: VIEWS_DIR, layout: 'layout.hbs', options: { partials } });
  await app.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: '/ui/assets/',
    decorateReply: false,
    index: false,
    setHeaders: (reply) => {
      reply.header('x-content-type-options', 'nosniff');
    },
  });
}

/** The editor is an enhancement: without its bundle the script is a plain text area. */
export const editorBundleBuilt = () => existsSync(EDITOR_BUNDLE);

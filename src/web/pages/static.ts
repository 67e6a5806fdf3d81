// /static: the site's stylesheet and script, and KaTeX's stylesheet and fonts, served
// from this origin so the CSP can stay at 'self'. Only files listed at start-up are
// served, so no request path ever reaches the file system.

import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

// This module sits three levels below the package root both as source (src/web/pages)
// and compiled (dist/web/pages), so this finds the assets either way without a copy step.
const OWN_DIR = fileURLToPath(new URL('../../../src/web/static/', import.meta.url));
const KATEX_DIR = path.dirname(createRequire(import.meta.url).resolve('katex/dist/katex.min.css'));

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf',
};

function listFiles(dir: string, prefix: string, only?: RegExp): Map<string, string> {
  const files = new Map<string, string>();
  try {
    for (const name of readdirSync(dir)) {
      if (path.extname(name) in TYPES && (!only || only.test(name))) files.set(prefix + name, path.join(dir, name));
    }
  } catch {
    // A missing directory serves nothing; pages still work unstyled.
  }
  return files;
}

export function staticRoutes(): Hono {
  const files = new Map([
    ...listFiles(OWN_DIR, ''),
    ...listFiles(KATEX_DIR, 'katex/', /^katex\.min\.css$/).entries(),
    ...listFiles(path.join(KATEX_DIR, 'fonts'), 'katex/fonts/').entries(),
  ]);
  const cache = new Map<string, Buffer>();
  const app = new Hono();
  app.get('/*', (c) => {
    const name = c.req.path.replace(/^\/static\//, '');
    const file = files.get(name);
    if (!file) return c.text('Not found', 404);
    let body = cache.get(name);
    if (!body) cache.set(name, (body = readFileSync(file)));
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': TYPES[path.extname(file)]!,
      // Names carry no content hash, so a day rather than forever.
      'Cache-Control': 'public, max-age=86400',
    });
  });
  return app;
}

#!/usr/bin/env node
// The installed command. Runs the compiled CLI; `npm run build` produces it.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('paperboy: the project is not built yet. Run `npm run build` (or `npm start`) first.');
  process.exit(1);
}
await import(entry.href);

// The README's list of exit statuses covers every status the error catalogue can exit with.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_CODES } from '../src/errors.js';

test('every exit status the CLI can return is in the README', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const line = /Exit statuses:([\s\S]*?)\n\n/.exec(readme)?.[1] ?? '';
  const listed = new Set([...line.matchAll(/\b(\d{1,3})\b/g)].map((m) => Number(m[1])));
  for (const [code, { exit }] of Object.entries(ERROR_CODES)) assert.ok(listed.has(exit), `exit ${exit} (${code}) is not in the README's list`);
  assert.ok(listed.has(70), 'an unexpected error');
});

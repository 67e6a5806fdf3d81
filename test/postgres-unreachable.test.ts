// A PostgreSQL database that cannot be reached is the catalogue's store_failure: exit 74
// with a message naming the server, never its password, and never a stack trace.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { repoRoot } from './faults/support.js';

test('an unreachable PostgreSQL server: exit 74, a clear message, the password hidden', async () => {
  // A port nothing listens on: taken and released.
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--db', `postgres://reader:s3cret-pw@127.0.0.1:${port}/papers`, 'stats'],
    { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 74, r.stderr);
  assert.match(r.stderr, new RegExp(`The database at postgres://reader:\\*\\*\\*@127\\.0\\.0\\.1:${port}/papers cannot be reached`));
  assert.doesNotMatch(r.stderr, /s3cret-pw|\n\s+at /);
});

// A PostgreSQL server for tests: PAPERBOY_TEST_POSTGRES_URL when set, else a throwaway
// cluster (initdb + pg_ctl in a temporary directory, on a loopback port, as the
// `postgres` user when running as root, since PostgreSQL refuses to run as root). Each
// caller gets a fresh database of its own. Null, with the reason, when no server can be
// had: tests then skip their PostgreSQL half and say why.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** A new empty database on the server. */
  freshDatabase(): Promise<string>;
  stop(): Promise<void>;
}

let shared: Promise<TestPostgres | { skip: string }> | null = null;

/** One server per test process, stopped when the process exits; call stop() after the tests (its connection keeps the process alive). */
export function testPostgres(): Promise<TestPostgres | { skip: string }> {
  return (shared ??= start());
}

/** Where initdb and pg_ctl are: on PATH, else Debian's /usr/lib/postgresql/<version>/bin (the newest). */
export function postgresBinDir(): string | null {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return path.dirname(onPath);
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0]!, 'bin') : null;
}

async function start(): Promise<TestPostgres | { skip: string }> {
  const url = process.env.PAPERBOY_TEST_POSTGRES_URL;
  if (url) return server(url, async () => {});
  const bin = postgresBinDir();
  if (!bin) return { skip: 'no PostgreSQL server: initdb not found (install Debian\'s postgresql, or set PAPERBOY_TEST_POSTGRES_URL)' };
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const port = 55_432 + Math.floor(Math.random() * 5000);
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = root ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  };
  try {
    run('initdb', ['-D', data, '-U', 'paperboy', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    // Small and quick: no durability needed for a throwaway cluster; only the loopback address.
    run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`, 'start']);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const err = e as { stderr?: Buffer; message: string };
    return { skip: `no PostgreSQL server could be started: ${(err.stderr?.toString() || err.message).trim().split('\n')[0]}` };
  }
  // Whatever ends the test process stops its cluster too.
  const stopNow = () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    } catch { /* already gone */ }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopNow);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => { stopNow(); process.exit(130); });
  return server(`postgres://paperboy@127.0.0.1:${port}/postgres`, async () => stopNow());
}

async function server(adminUrl: string, stop: () => Promise<void>): Promise<TestPostgres | { skip: string }> {
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (e) {
    await stop();
    return { skip: `no PostgreSQL server at ${adminUrl.replace(/\/\/[^@]*@/, '//')}: ${(e as Error).message}` };
  }
  let n = 0;
  const prefix = `paperboy_test_${process.pid}_${Date.now().toString(36)}`;
  const created: string[] = [];
  return {
    async freshDatabase() {
      const name = `${prefix}_${++n}`;
      await admin.query(`CREATE DATABASE ${name}`);
      created.push(name);
      const u = new URL(adminUrl);
      u.pathname = `/${name}`;
      return u.toString();
    },
    async stop() {
      if (process.env.PAPERBOY_TEST_POSTGRES_URL) {
        for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      }
      await admin.end();
      await stop();
    },
  };
}

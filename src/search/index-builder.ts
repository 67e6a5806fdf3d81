// Builds the search indexes away from a server's event loop. Building is seconds of CPU
// at 75k papers and many minutes at millions (the word index, training the built-in
// model, embedding every paper, linking the graph); on the thread that answers requests
// it starved them: one page per 40 ms while the model trained. So a server builds in a
// child process, which saves the index files beside the database; the server then loads
// them. A process rather than a worker thread: the vector library's native module does
// not load in a worker thread, and the build's peak memory goes back to the system when
// the child exits instead of staying in the server's heap.
//
// One build at a time on a machine: the part's lock file names the process building it;
// another process (a second `serve --workers` worker) waits for that build and loads its
// files instead of building the same thing again. A lock whose process is gone is taken over.

import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { fork, type ChildProcess } from 'node:child_process';
import type { Config } from '../config.js';
import { describeError, PaperboyError } from '../errors.js';
import type { Logger } from '../logger.js';

/** The word index, or the vectors (with the built-in model's training when it needs it). */
export type IndexPart = 'words' | 'vectors';

export interface BuildRequest {
  part: IndexPart;
  /** Retrain the built-in model even if the saved one fits (the corpus outgrew it). */
  retrain?: boolean;
}

/** What the builder process sends: progress, then done or failed. */
export type BuildMessage =
  | { kind: 'progress'; phase: string; done: number; total: number }
  | { kind: 'done' }
  | { kind: 'failed'; error: string };

/** Builds a part of the indexes and saves its files; resolves once they are saved (or another process's build ended). */
export type IndexBuilder = (request: BuildRequest) => Promise<void>;

export interface IndexBuilderOptions {
  logger: Logger;
  /** The index file of the word index; the lock files sit beside it. */
  indexFile: string;
  /** How often to look whether another process's build has ended. */
  pollMs?: number;
}

/** Seconds between progress lines in the log. */
const PROGRESS_LOG_MS = 10_000;

export function createIndexBuilder(config: Config, opts: IndexBuilderOptions): IndexBuilder {
  const { logger } = opts;
  // One build at a time from this process: two would share two cores with the server.
  let queue: Promise<void> = Promise.resolve();

  const inChild = (request: BuildRequest): Promise<void> => new Promise((resolve, reject) => {
    const child = builderProcess();
    let last = 0;
    let settled = false;
    child.send({ config, request });
    child.on('message', (m: BuildMessage) => {
      if (m.kind === 'progress') {
        if (Date.now() - last < PROGRESS_LOG_MS) return;
        last = Date.now();
        logger.info('building the search index', { part: request.part, phase: m.phase, done: m.done, total: m.total });
      } else if (m.kind === 'done') {
        settled = true;
        resolve();
      } else {
        settled = true;
        reject(new PaperboyError('internal', `building the search index (${request.part}) failed: ${m.error}`));
      }
    });
    child.on('error', (e) => {
      if (!settled) reject(e);
      settled = true;
    });
    child.on('exit', (code, signal) => {
      if (!settled) reject(new PaperboyError('internal', `the search index builder (${request.part}) stopped (${signal ?? `exit ${code}`})`));
      settled = true;
    });
  });

  const build = async (request: BuildRequest): Promise<void> => {
    const lock = `${opts.indexFile}.${request.part}.building`;
    for (;;) {
      if (takeLock(lock)) {
        try {
          const t0 = performance.now();
          await inChild(request);
          logger.info('search index part built', { part: request.part, ms: Math.round(performance.now() - t0) });
        } finally {
          rmSync(lock, { force: true });
        }
        return;
      }
      // Another process builds it: wait for it to end, then load what it saved.
      logger.info('another process is building this part of the search index; waiting for it', { part: request.part, pid: lockHolder(lock) });
      while (lockHolder(lock) !== null) await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
      return;
    }
  };

  return (request) => {
    const next = queue.then(() => build(request));
    queue = next.catch((e: unknown) => logger.error('search index build failed', { part: request.part, error: describeError(e) }));
    return next;
  };
}

/** Takes the lock file if it is free or its process is gone. */
function takeLock(file: string): boolean {
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (lockHolder(file) !== null) return false;
      rmSync(file, { force: true }); // its holder died without removing it
    }
  }
  return false;
}

/** The live process holding the lock, or null when there is none (no file, or its process is gone). */
function lockHolder(file: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

const fromSource = import.meta.url.endsWith('.ts');

/** The builder: index-builder-process, compiled once built, or from source with the TypeScript loader. */
function builderProcess(): ChildProcess {
  const entry = new URL(`./index-builder-process.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  const execArgv = fromSource && !process.execArgv.some((a) => a.includes('tsx')) ? [...process.execArgv, '--import', 'tsx'] : process.execArgv;
  // Its own logs go to the server's standard error, like the server's.
  return fork(entry, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

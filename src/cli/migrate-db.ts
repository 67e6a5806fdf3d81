// `paperboy migrate-db --from A --to B`: copies a database into another engine (the
// SQLite file into PostgreSQL as a community grows, or back), with progress; resumable,
// and verified by counts and checksums of every table (src/store/copy/).

import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { PaperboyError } from '../errors.js';
import { copyDatabase, openSide } from '../store/copy/copy.js';
import { redactUrl } from '../store/postgres/db.js';
import type { CliContext } from './context.js';

export function registerMigrateDb(program: Command, ctx: CliContext): void {
  program.command('migrate-db')
    .description('copy a database into another engine (a SQLite file into PostgreSQL, or back), resumable and verified')
    .requiredOption('--from <database>', 'the database to copy: a SQLite file or a postgres:// URL')
    .requiredOption('--to <database>', 'where to copy it: a postgres:// URL or a SQLite file (created if missing)')
    .action(async (opts: { from: string; to: string }) => {
      if (opts.from === opts.to) throw new PaperboyError('bad_input', '--from and --to name the same database');
      const logger = ctx.logger();
      const from = await openSide(opts.from);
      const to = await openSide(opts.to).catch(async (e: unknown) => { await from.close(); throw e; });
      const tty = process.stderr.isTTY;
      const bar = tty ? new SingleBar({ format: 'copying {table} [{bar}] {percentage}% | {value}/{total} rows', hideCursor: true }, Presets.shades_classic) : null;
      let started = false;
      let last = 0;
      try {
        const summary = await copyDatabase(from, to, (p) => {
          if (bar) {
            if (!started) bar.start(p.total, 0, { table: p.table });
            started = true;
            bar.update(p.done, { table: p.table });
          } else if (Date.now() - last > 5000 || p.done === p.total) {
            last = Date.now();
            logger.info('copying', { table: p.table, done: p.done, total: p.total });
          }
        });
        bar?.stop();
        process.stdout.write(`Copied and verified ${summary.rows} rows in ${summary.tables.length} tables into ${redactUrl(opts.to)}\n`);
        for (const t of summary.tables) process.stdout.write(`  ${t.table.padEnd(22)} ${String(t.rows).padStart(9)}  ${t.checksum}\n`);
      } finally {
        bar?.stop();
        await to.close();
        await from.close();
      }
    });
}

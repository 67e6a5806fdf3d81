// `paperboy migrate`: create or upgrade the database (every command also does this).

import type { Command } from 'commander';
import type { CliContext } from './context.js';

export function registerMigrate(program: Command, ctx: CliContext): void {
  program.command('migrate')
    .description('create or upgrade the database schema')
    .action(async () => {
      await ctx.withStore(async () => undefined);
      process.stdout.write(`Database ready: ${ctx.config().database}\n`);
    });
}

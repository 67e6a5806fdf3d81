// The `paperboy` command line: global flags, one module per command, and one place
// that turns errors into a clear message and an exit status.

import { Command, CommanderError } from 'commander';
import { describeError, ERROR_CODES, isPaperboyError } from '../errors.js';
import { createContext } from './context.js';
import { registerStats } from './stats.js';
import { registerMigrate } from './migrate.js';
import { registerMigrateDb } from './migrate-db.js';
import { registerImport } from './import.js';
import { registerHarvest } from './harvest.js';
import { registerAdd } from './add.js';
import { registerServe } from './serve.js';
import { registerSearch } from './search.js';
import { registerEval } from './eval.js';
import { registerDigest } from './digest.js';
import { registerAlerts } from './alerts.js';
import { registerSubscribers } from './subscribers.js';
import { registerTrending } from './trending.js';
import { registerSignals } from './signals.js';
import { registerIndex } from './build-index.js';
import { registerModels } from './models.js';

const program = new Command('paperboy')
  .description('Self-hostable research-paper discovery: ingest arXiv, search, trending, daily digest.')
  .option('-c, --config <file>', 'JSON config file (default: ./paperboy.config.json if present)')
  .option('--db <path>', 'SQLite database file (default: ./data/paperboy.db)')
  .option('--data-dir <dir>', 'data directory (default: ./data)')
  .option('--log-level <level>', 'debug | info | warn | error | silent')
  .option('--log-format <format>', 'text | json')
  .showHelpAfterError()
  .exitOverride();

const ctx = createContext(program);
for (const register of [registerServe, registerSearch, registerEval, registerStats, registerMigrate, registerMigrateDb, registerHarvest, registerAdd, registerImport, registerSubscribers, registerDigest, registerAlerts, registerTrending, registerSignals, registerIndex, registerModels]) register(program, ctx);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  if (isPaperboyError(e)) {
    process.stderr.write(`paperboy: ${e.message}\n`);
    process.exit(ERROR_CODES[e.code].exit);
  }
  process.stderr.write(`paperboy: unexpected error: ${describeError(e)}\n`);
  if (stackTraces()) console.error(e);
  process.exit(ERROR_CODES.internal.exit);
}

/** Whether the configuration asks for stack traces (PAPERBOY_DEBUG); not when the configuration itself is what failed. */
function stackTraces(): boolean {
  try {
    return ctx.config().log.stackTraces;
  } catch {
    return false;
  }
}

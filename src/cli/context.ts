// What every command gets: the configuration (built from global flags), a logger and
// a store opened on demand and always closed.

import type { Command } from 'commander';
import { loadConfig, type Config, type ConfigOverrides } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

export interface GlobalFlags {
  config?: string;
  db?: string;
  dataDir?: string;
  logLevel?: string;
  logFormat?: string;
}

export interface CliContext {
  config(): Config;
  logger(): Logger;
  withStore<T>(fn: (store: Store) => Promise<T>): Promise<T>;
}

export function createContext(program: Command, extraFlags: () => ConfigOverrides = () => ({})): CliContext {
  let config: Config | undefined;
  let logger: Logger | undefined;
  const ctx: CliContext = {
    config() {
      if (!config) {
        const g = program.opts<GlobalFlags>();
        const flags: ConfigOverrides = {
          ...extraFlags(),
          ...(g.dataDir ? { dataDir: g.dataDir } : {}),
          ...(g.db ? { database: g.db } : {}),
        };
        if (g.logLevel || g.logFormat) {
          flags.log = { ...(g.logLevel ? { level: g.logLevel as 'info' } : {}), ...(g.logFormat ? { format: g.logFormat as 'text' } : {}) };
        }
        config = loadConfig({ file: g.config, flags });
      }
      return config;
    },
    logger() {
      logger ??= createLogger({ level: ctx.config().log.level, format: ctx.config().log.format });
      return logger;
    },
    async withStore(fn) {
      const store = await openStore(ctx.config());
      try {
        return await fn(store);
      } finally {
        await store.close();
      }
    },
  };
  return ctx;
}

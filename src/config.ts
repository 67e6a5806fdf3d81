// Typed configuration: defaults < config file < environment < command-line flags.
// This is the only module that reads process.env; everything else receives a Config.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PaperboyError } from './errors.js';

const hourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour, UTC)');
const httpUrl = z.string().url('must be a URL').refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

const ConfigSchema = z.object({
  dataDir: z.string().min(1),
  /** SQLite file path, or a postgres:// URL once that engine exists. */
  database: z.string().min(1),
  server: z.object({
    host: z.string().min(1),
    port: z.coerce.number().int().min(0).max(65535),
    /** Public URL of the site, used in links that leave the page (feeds, email). */
    baseUrl: httpUrl.optional(),
    /** Requests per minute per client address; 0 turns a limit off. */
    rateLimit: z.object({
      perMinute: z.coerce.number().int().min(0),
      postsPerMinute: z.coerce.number().int().min(0),
    }),
    /** Largest request body accepted (413 above it). */
    maxBodyBytes: z.coerce.number().int().min(1),
    /** Longest path + query accepted (414 above it). */
    maxUrlBytes: z.coerce.number().int().min(64),
    /** Behind a reverse proxy: take the client address from the last X-Forwarded-For entry. */
    trustProxy: z.boolean(),
  }),
  harvest: z.object({
    enabled: z.boolean(),
    oaiBaseUrl: httpUrl,
    metadataPrefix: z.enum(['arXivRaw', 'arXiv']),
    /** OAI sets, e.g. "cs" or "cs:cs:LG"; empty means everything. */
    sets: z.array(z.string().regex(/^[a-z-]+(:[a-z-]+(:[A-Za-z.-]+)?)?$/i, 'is not an arXiv OAI set (e.g. cs or cs:cs:LG)')),
    /** Daily start time in UTC; arXiv announces around 00:00 UTC. */
    dailyAt: hourMinute,
    /** Days to look back on the very first harvest. */
    firstHarvestDays: z.coerce.number().int().min(1).max(3650),
    minIntervalMs: z.coerce.number().int().min(0),
    timeoutMs: z.coerce.number().int().min(1000),
    maxRetries: z.coerce.number().int().min(0).max(20),
  }),
  arxivApi: z.object({ baseUrl: httpUrl }),
  /** Sent in the User-Agent so arXiv can reach the operator. */
  contactEmail: z.string().email().optional(),
  log: z.object({
    level: z.enum(['debug', 'info', 'warn', 'error', 'silent']),
    format: z.enum(['auto', 'text', 'json']),
  }),
});

export type Config = z.infer<typeof ConfigSchema>;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };
export type ConfigOverrides = DeepPartial<Config>;

export const DEFAULT_CONFIG: Config = {
  dataDir: './data',
  database: './data/paperboy.db',
  server: {
    host: '127.0.0.1',
    port: 8080,
    rateLimit: { perMinute: 300, postsPerMinute: 30 },
    maxBodyBytes: 64 * 1024,
    maxUrlBytes: 8 * 1024,
    trustProxy: false,
  },
  harvest: {
    enabled: true,
    oaiBaseUrl: 'https://oaipmh.arxiv.org/oai',
    metadataPrefix: 'arXivRaw',
    sets: ['cs'],
    dailyAt: '01:30',
    firstHarvestDays: 3,
    minIntervalMs: 3000,
    timeoutMs: 60_000,
    maxRetries: 6,
  },
  arxivApi: { baseUrl: 'https://export.arxiv.org/api/query' },
  log: { level: 'info', format: 'auto' },
};

/** Environment variables and where they land in the config. */
const ENV_KEYS: Record<string, (v: string) => ConfigOverrides> = {
  PAPERBOY_DATA_DIR: (v) => ({ dataDir: v }),
  DATABASE_URL: (v) => ({ database: v }),
  HOST: (v) => ({ server: { host: v } }),
  PORT: (v) => ({ server: { port: v as unknown as number } }),
  PAPERBOY_BASE_URL: (v) => ({ server: { baseUrl: v } }),
  PAPERBOY_RATE_LIMIT: (v) => ({ server: { rateLimit: { perMinute: v as unknown as number } } }),
  PAPERBOY_POST_RATE_LIMIT: (v) => ({ server: { rateLimit: { postsPerMinute: v as unknown as number } } }),
  PAPERBOY_MAX_BODY_BYTES: (v) => ({ server: { maxBodyBytes: v as unknown as number } }),
  PAPERBOY_TRUST_PROXY: (v) => ({ server: { trustProxy: parseBool('PAPERBOY_TRUST_PROXY', v) } }),
  PAPERBOY_HARVEST: (v) => ({ harvest: { enabled: parseBool('PAPERBOY_HARVEST', v) } }),
  PAPERBOY_OAI_URL: (v) => ({ harvest: { oaiBaseUrl: v } }),
  PAPERBOY_OAI_FORMAT: (v) => ({ harvest: { metadataPrefix: v as 'arXivRaw' } }),
  PAPERBOY_SETS: (v) => ({ harvest: { sets: splitList(v) } }),
  PAPERBOY_HARVEST_AT: (v) => ({ harvest: { dailyAt: v } }),
  PAPERBOY_REQUEST_INTERVAL_MS: (v) => ({ harvest: { minIntervalMs: v as unknown as number } }),
  PAPERBOY_ARXIV_API_URL: (v) => ({ arxivApi: { baseUrl: v } }),
  PAPERBOY_CONTACT_EMAIL: (v) => ({ contactEmail: v }),
  LOG_LEVEL: (v) => ({ log: { level: v as 'info' } }),
  LOG_FORMAT: (v) => ({ log: { format: v as 'auto' } }),
};

export interface LoadConfigOptions {
  /** Explicit config file; otherwise PAPERBOY_CONFIG, then ./paperboy.config.json if present. */
  file?: string;
  flags?: ConfigOverrides;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const layers: ConfigOverrides[] = [DEFAULT_CONFIG];

  const explicit = opts.file ?? env.PAPERBOY_CONFIG;
  const file = explicit ? path.resolve(cwd, explicit) : path.join(cwd, 'paperboy.config.json');
  if (explicit || existsSync(file)) layers.push(readConfigFile(file));

  for (const [key, toOverride] of Object.entries(ENV_KEYS)) {
    const value = env[key];
    if (value !== undefined && value !== '') layers.push(toOverride(value));
  }
  if (opts.flags) layers.push(opts.flags);

  const merged = layers.reduce<Record<string, unknown>>((acc, layer) => deepMerge(acc, layer as Record<string, unknown>), {});
  // The database follows the data directory unless it was set on its own.
  if (!layers.slice(1).some((l) => l.database) && layers.slice(1).some((l) => l.dataDir)) {
    merged.database = path.join(merged.dataDir as string, 'paperboy.db');
  }
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new PaperboyError('bad_config', `Invalid configuration:\n${problems}`);
  }
  return parsed.data;
}

/** The public base URL, defaulting to the local server address. */
export function publicBaseUrl(config: Config): string {
  const host = config.server.host === '0.0.0.0' ? 'localhost' : config.server.host;
  return (config.server.baseUrl ?? `http://${host}:${config.server.port}`).replace(/\/+$/, '');
}

export function userAgent(config: Config): string {
  const contact = config.contactEmail ? `; mailto:${config.contactEmail}` : '';
  return `Paperboy/0.1 (self-hosted paper discovery${contact})`;
}

function readConfigFile(file: string): ConfigOverrides {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PaperboyError('bad_config', `Cannot read config file ${file}: ${(e as Error).message}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
    return value as ConfigOverrides;
  } catch (e) {
    throw new PaperboyError('bad_config', `Config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

function parseBool(name: string, v: string): boolean {
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new PaperboyError('bad_config', `${name} must be true or false, got "${v}"`);
}

function splitList(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const prev = out[k];
    out[k] = isPlainObject(v) && isPlainObject(prev) ? deepMerge(prev, v) : v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Typed configuration: defaults < config file < environment < command-line flags.
// This is the only module that reads process.env; everything else receives a Config.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PaperboyError } from './errors.js';
import { checkAddress, checkMailbox } from './subscriptions/address.js';

const hourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour, UTC)');
const httpUrl = z.string().url('must be a URL').refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

// A mailbox as in a From header: `addr@host` or `Display Name <addr@host>`, one line; and
// a bare address. Both checked by the one address validator (subscriptions/address.ts).
const mailbox = z.string().refine((v) => checkMailbox(v).ok, 'must be an address, or "Name <address>"');
const address = z.string().refine((v) => checkAddress(v, { localDomain: true }).ok, 'must be an email address');
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as UTC or Europe/Paris');

/** Outgoing mail. Without an SMTP server, messages are written as .eml files under dataDir/mail. */
const MailSchema = z.object({
  smtp: z.object({
    /** smtp://user:pass@host:587 or smtps://…:465; the other keys override its parts. */
    url: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL').optional(),
    host: z.string().min(1).optional(),
    port: z.coerce.number().int().min(1).max(65535).optional(),
    /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
    secure: z.boolean().optional(),
    user: z.string().optional(),
    pass: z.string().optional(),
    timeoutMs: z.coerce.number().int().min(1000),
  }),
  from: mailbox,
  replyTo: mailbox.optional(),
  dkim: z.object({
    /** PEM private key file; signing is on when this, the selector and the domain are all set. */
    keyFile: z.string().min(1).optional(),
    selector: z.string().regex(/^[A-Za-z0-9._-]+$/, 'must be a DNS label').optional(),
    domain: z.string().regex(/^[A-Za-z0-9.-]+$/, 'must be a domain name').optional(),
  }).refine((d) => [d.keyFile, d.selector, d.domain].every((v) => v === undefined) || [d.keyFile, d.selector, d.domain].every((v) => v !== undefined),
    'set keyFile, selector and domain together'),
  /** Also offer unsubscribing by mail (List-Unsubscribe mailto:); someone must process that mailbox. */
  listUnsubscribeMailto: address.optional(),
  /** Messages per second across all connections; 0 = as fast as the server takes them. */
  rate: z.coerce.number().min(0).max(10_000),
  /** Pooled SMTP connections, i.e. messages in flight at once. */
  concurrency: z.coerce.number().int().min(1).max(64),
});

/** The daily digest and the subscriptions behind it. */
const DigestSchema = z.object({
  /** Whether `serve` runs the digest schedule in-process. */
  enabled: z.boolean(),
  /** Papers per digest. */
  size: z.coerce.number().int().min(1).max(50),
  /** Send a digest even when nothing new matched (otherwise that day is skipped). */
  sendEmpty: z.boolean(),
  defaultHour: z.coerce.number().int().min(0).max(23),
  defaultTimeZone: timeZone,
  /** A digest covers papers announced since the last one, but never more days than this. */
  maxWindowDays: z.coerce.number().int().min(1).max(31),
  /** Hours a confirmation link stays valid; unconfirmed subscriptions are dropped after it. */
  confirmationHours: z.coerce.number().int().min(1).max(24 * 30),
  /** Days the manage and unsubscribe links in an email stay valid. */
  linkDays: z.coerce.number().int().min(1).max(3650),
  /** Permanent (5xx) failures in a row after which an address is marked bouncing and no longer mailed. */
  bounceThreshold: z.coerce.number().int().min(1).max(100),
  /** Temporary failures: attempts before a digest is given up, with exponential backoff between them. */
  maxAttempts: z.coerce.number().int().min(1).max(50),
  retryBaseMs: z.coerce.number().int().min(100),
  retryMaxMs: z.coerce.number().int().min(100),
  /** Subscribe requests per client address per hour. */
  subscribesPerHourPerIp: z.coerce.number().int().min(1),
  /** Confirmation (or "already subscribed") emails per address per day. */
  noticesPerDayPerAddress: z.coerce.number().int().min(1).max(50),
  /** Days digest records are kept (they also remember which papers a subscriber was sent). */
  keepDays: z.coerce.number().int().min(7).max(3650),
});

/** Trending: the score's weights and time constants (docs/trending.md), and the connectors keeping its signals fresh. */
const trendWeight = z.coerce.number().min(0).max(100);
const trendHours = z.coerce.number().positive().max(24 * 3650);
const TrendingSchema = z.object({
  /** Points per doubling of each count. */
  weights: z.object({ upvotes: trendWeight, localUpvotes: trendWeight, comments: trendWeight, githubStars: trendWeight, views: trendWeight }),
  /** Gains after a paper's first afterDays days: weight relative to the counts, and the half-life of a gain. */
  momentum: z.object({ weight: trendWeight, halfLifeHours: trendHours, afterDays: z.coerce.number().min(0).max(365) }),
  /** Age penalty: exponent × log2(1 + (age / scaleHours)²). */
  gravity: z.object({ exponent: trendWeight, scaleHours: trendHours }),
  /** Recency prior: points for a paper just announced, halving every halfLifeHours. */
  freshness: z.object({ points: trendWeight, halfLifeHours: trendHours }),
  /** Hugging Face Daily Papers: upvotes, comments and linked repositories. */
  hf: z.object({
    enabled: z.boolean(),
    /** Requests go to {baseUrl}/api/daily_papers?date=YYYY-MM-DD. */
    baseUrl: httpUrl,
    /** `serve` fetches every this many hours… */
    everyHours: z.coerce.number().int().min(1).max(168),
    /** …the lists of the last this many days (counts keep growing for a few days). */
    days: z.coerce.number().int().min(1).max(31),
    minIntervalMs: z.coerce.number().int().min(0),
    timeoutMs: z.coerce.number().int().min(1000),
    maxRetries: z.coerce.number().int().min(0).max(20),
  }),
  /** GitHub stars of repositories papers link to (REST API). */
  github: z.object({
    enabled: z.boolean(),
    apiUrl: httpUrl,
    /** Personal access token: 5,000 requests an hour instead of 60. Never logged. */
    token: z.string().min(1).optional(),
    /** Daily run time in UTC. */
    dailyAt: hourMinute,
    /** Repositories of papers announced in the last this many days are refreshed. */
    refreshDays: z.coerce.number().int().min(1).max(3650),
    maxReposPerRun: z.coerce.number().int().min(1).max(100_000),
    /** A run waits for the rate limit to reset when that is at most this far away; otherwise it stops and the next run resumes. */
    maxWaitMs: z.coerce.number().int().min(0),
    minIntervalMs: z.coerce.number().int().min(0),
    timeoutMs: z.coerce.number().int().min(1000),
    maxRetries: z.coerce.number().int().min(0).max(20),
  }),
});

/** Search by meaning: which embedder makes the vectors (the built-in one needs nothing else). */
const EmbedderSchema = z.object({
  provider: z.enum(['builtin', 'onnx', 'http']),
  /** The dimension expected of the provider (checked); optional. */
  dimensions: z.coerce.number().int().min(1).max(16_384).optional(),
  onnx: z.object({
    /** A model folder; or `model`, a name fetched with `paperboy models pull` (dataDir/models/NAME). */
    path: z.string().min(1).optional(),
    model: z.string().regex(/^[\w.-]+(\/[\w.-]+)?$/, 'must be a model name such as bge-small-en-v1.5').optional(),
    /** The .onnx file inside the folder (default onnx/model.onnx). */
    file: z.string().min(1).optional(),
    pooling: z.enum(['mean', 'cls', 'last']).optional(),
    queryPrefix: z.string().optional(),
    documentPrefix: z.string().optional(),
    maxTokens: z.coerce.number().int().min(8).max(32_768).optional(),
    batchSize: z.coerce.number().int().min(1).max(1024),
    threads: z.coerce.number().int().min(1).max(256).optional(),
  }),
  http: z.object({
    /** An OpenAI-compatible endpoint: …/v1/embeddings, or its base …/v1. */
    url: httpUrl.optional(),
    model: z.string().min(1).optional(),
    /** Sent as a Bearer token; never logged. */
    apiKey: z.string().min(1).optional(),
    batchSize: z.coerce.number().int().min(1).max(4096),
    timeoutMs: z.coerce.number().int().min(100),
    maxRetries: z.coerce.number().int().min(0).max(20),
    /** Ask the server for `dimensions` (OpenAI text-embedding-3, Matryoshka models). */
    sendDimensions: z.boolean(),
    queryPrefix: z.string().optional(),
    documentPrefix: z.string().optional(),
  }),
}).superRefine((e, ctx) => {
  if (e.provider === 'onnx' && !e.onnx.path && !e.onnx.model) ctx.addIssue({ code: 'custom', path: ['onnx', 'path'], message: 'set onnx.path (a model folder) or onnx.model (a pulled model) for the onnx provider' });
  if (e.provider === 'http' && !e.http.url) ctx.addIssue({ code: 'custom', path: ['http', 'url'], message: 'set http.url for the http provider' });
  if (e.provider === 'http' && !e.http.model) ctx.addIssue({ code: 'custom', path: ['http', 'model'], message: 'set http.model for the http provider' });
});

/** Where `paperboy models pull` fetches models from. */
const ModelsSchema = z.object({
  hubUrl: httpUrl,
  /** For private or gated repositories; never logged. */
  hubToken: z.string().min(1).optional(),
});

const ConfigSchema = z.object({
  dataDir: z.string().min(1),
  /** SQLite file path, or a postgres:// URL (the PostgreSQL engine). */
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
    /** Largest library file a subscriber may import (a reference manager's export is bigger than a form). */
    maxImportBytes: z.coerce.number().int().min(1),
    /** Longest path + query accepted (414 above it). */
    maxUrlBytes: z.coerce.number().int().min(64),
    /** Behind a reverse proxy: take the client address from the last X-Forwarded-For entry. */
    trustProxy: z.boolean(),
    /** HTTP processes sharing the port; 0 = one per CPU core. */
    workers: z.coerce.number().int().min(0).max(64),
    /** Under overload, the longest a page request waits for its turn before it gets 503 (web/middleware/load-shed.ts); 0 = off. */
    shedAfterMs: z.coerce.number().int().min(0),
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
  /** fetchOnRequest: pages offer to fetch a paper this site does not hold (a POST, rate limited). */
  arxivApi: z.object({ baseUrl: httpUrl, fetchOnRequest: z.boolean() }),
  /** Sent in the User-Agent so arXiv can reach the operator. */
  contactEmail: address.optional(),
  log: z.object({
    level: z.enum(['debug', 'info', 'warn', 'error', 'silent']),
    format: z.enum(['auto', 'text', 'json']),
    /** Print the stack trace of an unexpected error (PAPERBOY_DEBUG), for a bug report. */
    stackTraces: z.boolean(),
  }),
  mail: MailSchema,
  digest: DigestSchema,
  trending: TrendingSchema,
  search: z.object({
    embedder: EmbedderSchema,
    /** Search by meaning: vectors beside the words (the built-in model unless another embedder is set). */
    semantic: z.boolean(),
    fusion: z.object({
      method: z.enum(['weighted', 'rrf']),
      /** Share of the vector list in a weighted fusion (the words get the rest). */
      semanticWeight: z.coerce.number().min(0).max(1),
      /** Weight of the word-by-word meaning match that re-orders the best 30 (built-in model only; 0 turns it off). */
      wordMatchWeight: z.coerce.number().min(0).max(1),
      rrfK: z.coerce.number().int().min(1),
    }),
  }),
  models: ModelsSchema,
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
    maxImportBytes: 5 * 1024 * 1024,
    maxUrlBytes: 8 * 1024,
    trustProxy: false,
    workers: 1,
    shedAfterMs: 400,
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
  arxivApi: { baseUrl: 'https://export.arxiv.org/api/query', fetchOnRequest: false },
  log: { level: 'info', format: 'auto', stackTraces: false },
  mail: {
    smtp: { timeoutMs: 30_000 },
    from: 'Paperboy <paperboy@localhost>',
    dkim: {},
    rate: 50,
    concurrency: 4,
  },
  digest: {
    enabled: true,
    size: 10,
    sendEmpty: false,
    defaultHour: 7,
    defaultTimeZone: 'UTC',
    maxWindowDays: 7,
    confirmationHours: 48,
    linkDays: 365,
    bounceThreshold: 3,
    maxAttempts: 10,
    retryBaseMs: 60_000,
    retryMaxMs: 2 * 3600_000,
    subscribesPerHourPerIp: 20,
    noticesPerDayPerAddress: 3,
    keepDays: 90,
  },
  trending: {
    weights: { upvotes: 1, localUpvotes: 1, comments: 0.5, githubStars: 0.25, views: 0.25 },
    momentum: { weight: 2, halfLifeHours: 24, afterDays: 3 },
    gravity: { exponent: 3, scaleHours: 168 },
    freshness: { points: 2, halfLifeHours: 12 },
    hf: { enabled: true, baseUrl: 'https://huggingface.co', everyHours: 6, days: 3, minIntervalMs: 1000, timeoutMs: 30_000, maxRetries: 4 },
    github: {
      enabled: true, apiUrl: 'https://api.github.com', dailyAt: '03:00', refreshDays: 30, maxReposPerRun: 1000,
      maxWaitMs: 15 * 60_000, minIntervalMs: 1000, timeoutMs: 30_000, maxRetries: 4,
    },
  },
  search: {
    semantic: true,
    // Weights chosen on the development halves of SciFact and of the described-paper queries
    // (docs/benchmarks.md); the weight shrinks when the lexical top hit clearly leads (hybrid.ts).
    fusion: { method: 'weighted', semanticWeight: 0.4, wordMatchWeight: 0.6, rrfK: 60 },
    embedder: {
      provider: 'builtin',
      onnx: { batchSize: 16 },
      http: { batchSize: 64, timeoutMs: 60_000, maxRetries: 5, sendDimensions: false },
    },
  },
  models: { hubUrl: 'https://huggingface.co' },
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
  PAPERBOY_WORKERS: (v) => ({ server: { workers: v as unknown as number } }),
  PAPERBOY_SHED_AFTER_MS: (v) => ({ server: { shedAfterMs: v as unknown as number } }),
  PAPERBOY_HARVEST: (v) => ({ harvest: { enabled: parseBool('PAPERBOY_HARVEST', v) } }),
  PAPERBOY_OAI_URL: (v) => ({ harvest: { oaiBaseUrl: v } }),
  PAPERBOY_OAI_FORMAT: (v) => ({ harvest: { metadataPrefix: v as 'arXivRaw' } }),
  PAPERBOY_SETS: (v) => ({ harvest: { sets: splitList(v) } }),
  PAPERBOY_HARVEST_AT: (v) => ({ harvest: { dailyAt: v } }),
  PAPERBOY_REQUEST_INTERVAL_MS: (v) => ({ harvest: { minIntervalMs: v as unknown as number } }),
  PAPERBOY_ARXIV_API_URL: (v) => ({ arxivApi: { baseUrl: v } }),
  PAPERBOY_FETCH_ON_REQUEST: (v) => ({ arxivApi: { fetchOnRequest: parseBool('PAPERBOY_FETCH_ON_REQUEST', v) } }),
  PAPERBOY_CONTACT_EMAIL: (v) => ({ contactEmail: v }),
  SMTP_URL: (v) => ({ mail: { smtp: { url: v } } }),
  PAPERBOY_SMTP_URL: (v) => ({ mail: { smtp: { url: v } } }),
  PAPERBOY_SMTP_HOST: (v) => ({ mail: { smtp: { host: v } } }),
  PAPERBOY_SMTP_PORT: (v) => ({ mail: { smtp: { port: v as unknown as number } } }),
  PAPERBOY_SMTP_SECURE: (v) => ({ mail: { smtp: { secure: parseBool('PAPERBOY_SMTP_SECURE', v) } } }),
  PAPERBOY_SMTP_USER: (v) => ({ mail: { smtp: { user: v } } }),
  PAPERBOY_SMTP_PASS: (v) => ({ mail: { smtp: { pass: v } } }),
  PAPERBOY_MAIL_FROM: (v) => ({ mail: { from: v } }),
  PAPERBOY_MAIL_REPLY_TO: (v) => ({ mail: { replyTo: v } }),
  PAPERBOY_DKIM_KEY_FILE: (v) => ({ mail: { dkim: { keyFile: v } } }),
  PAPERBOY_DKIM_SELECTOR: (v) => ({ mail: { dkim: { selector: v } } }),
  PAPERBOY_DKIM_DOMAIN: (v) => ({ mail: { dkim: { domain: v } } }),
  PAPERBOY_LIST_UNSUBSCRIBE_MAILTO: (v) => ({ mail: { listUnsubscribeMailto: v } }),
  PAPERBOY_MAIL_RATE: (v) => ({ mail: { rate: v as unknown as number } }),
  PAPERBOY_MAIL_CONCURRENCY: (v) => ({ mail: { concurrency: v as unknown as number } }),
  PAPERBOY_DIGEST: (v) => ({ digest: { enabled: parseBool('PAPERBOY_DIGEST', v) } }),
  PAPERBOY_DIGEST_SIZE: (v) => ({ digest: { size: v as unknown as number } }),
  PAPERBOY_DIGEST_SEND_EMPTY: (v) => ({ digest: { sendEmpty: parseBool('PAPERBOY_DIGEST_SEND_EMPTY', v) } }),
  PAPERBOY_DIGEST_HOUR: (v) => ({ digest: { defaultHour: v as unknown as number } }),
  PAPERBOY_DIGEST_TIME_ZONE: (v) => ({ digest: { defaultTimeZone: v } }),
  PAPERBOY_HF_SIGNALS: (v) => ({ trending: { hf: { enabled: parseBool('PAPERBOY_HF_SIGNALS', v) } } }),
  PAPERBOY_HF_URL: (v) => ({ trending: { hf: { baseUrl: v } } }),
  PAPERBOY_GITHUB_SIGNALS: (v) => ({ trending: { github: { enabled: parseBool('PAPERBOY_GITHUB_SIGNALS', v) } } }),
  PAPERBOY_GITHUB_API_URL: (v) => ({ trending: { github: { apiUrl: v } } }),
  PAPERBOY_GITHUB_TOKEN: (v) => ({ trending: { github: { token: v } } }),
  PAPERBOY_SEMANTIC: (v) => ({ search: { semantic: parseBool('PAPERBOY_SEMANTIC', v) } }),
  PAPERBOY_SEMANTIC_WEIGHT: (v) => ({ search: { fusion: { semanticWeight: v as unknown as number } } }),
  PAPERBOY_EMBEDDER: (v) => ({ search: { embedder: { provider: v as 'builtin' } } }),
  PAPERBOY_ONNX_MODEL: (v) => ({ search: { embedder: { onnx: { model: v } } } }),
  PAPERBOY_ONNX_PATH: (v) => ({ search: { embedder: { onnx: { path: v } } } }),
  PAPERBOY_EMBEDDINGS_URL: (v) => ({ search: { embedder: { http: { url: v } } } }),
  PAPERBOY_EMBEDDINGS_MODEL: (v) => ({ search: { embedder: { http: { model: v } } } }),
  PAPERBOY_EMBEDDINGS_API_KEY: (v) => ({ search: { embedder: { http: { apiKey: v } } } }),
  HF_ENDPOINT: (v) => ({ models: { hubUrl: v } }),
  PAPERBOY_HUB_URL: (v) => ({ models: { hubUrl: v } }),
  HF_TOKEN: (v) => ({ models: { hubToken: v } }),
  LOG_LEVEL: (v) => ({ log: { level: v as 'info' } }),
  LOG_FORMAT: (v) => ({ log: { format: v as 'auto' } }),
  PAPERBOY_DEBUG: (v) => ({ log: { stackTraces: parseBool('PAPERBOY_DEBUG', v) } }),
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

  // Which variable set which setting, so a bad value is reported under the name the operator typed.
  const setBy = new Map<string, string>();
  for (const [key, toOverride] of Object.entries(ENV_KEYS)) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    const layer = toOverride(value);
    for (const p of leafPaths(layer as Record<string, unknown>)) setBy.set(p, `${key}=${JSON.stringify(value)}`);
    layers.push(layer);
  }
  // Flags set later win, and so are the ones to name.
  if (opts.flags) for (const p of leafPaths(opts.flags as Record<string, unknown>)) setBy.delete(p);
  if (opts.flags) layers.push(opts.flags);

  const merged = layers.reduce<Record<string, unknown>>((acc, layer) => deepMerge(acc, layer as Record<string, unknown>), {});
  // The database follows the data directory unless it was set on its own.
  if (!layers.slice(1).some((l) => l.database) && layers.slice(1).some((l) => l.dataDir)) {
    merged.database = path.join(merged.dataDir as string, 'paperboy.db');
  }
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const where = i.path.join('.');
      const from = setBy.get(where);
      return `  ${where || '(root)'}${from ? ` (from ${from})` : ''}: ${i.message}`;
    }).join('\n');
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

/** "server.port"-style paths of an override's values. */
function leafPaths(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (isPlainObject(v) ? leafPaths(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

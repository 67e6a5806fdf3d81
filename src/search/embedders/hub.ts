// `paperboy models pull`: fetches the files an ONNX embedder needs from a Hugging Face Hub
// repository (the listing at /api/models/{repo}/revision/{rev}?blobs=true gives each file's
// size and sha256 or git blob id; files come from /{repo}/resolve/{commit}/{file}), checks
// every byte, and records what it fetched in paperboy-model.json, written last: a folder
// with that file is complete. `models list` reads those records.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PaperboyError } from '../../errors.js';
import { createPoliteHttpClient } from '../../ingest/polite-http.js';
import { silentLogger, type Logger } from '../../logger.js';
import { downloadVerified, type Expected } from './download.js';
import { findKnownModel, KNOWN_MODELS } from './known-models.js';
import { ONNX_CANDIDATES, REQUIRED_FILES } from './model-folder.js';

export const MANIFEST = 'paperboy-model.json';
/** Small files that say how to tokenize, pool and prefix; fetched when the repository has them. */
const OPTIONAL_FILES = ['special_tokens_map.json', 'modules.json', 'sentence_bert_config.json', 'config_sentence_transformers.json'];

export interface PullOptions {
  /** A known model ("bge-small-en-v1.5") or a Hub repository ("Xenova/bge-small-en-v1.5"). */
  name: string;
  /** Destination folder (the CLI uses DATA_DIR/models/NAME). */
  dir: string;
  revision?: string;
  hubUrl?: string;
  /** The .onnx file to fetch (default: onnx/model.onnx, else the first of the usual places). */
  file?: string;
  /** For private or gated repositories; sent to the Hub only. */
  token?: string;
  userAgent?: string;
  timeoutMs?: number;
  maxRetries?: number;
  retryBaseMs?: number;
  logger?: Logger;
  /** Progress over all files: bytes on disk so far and in total, and the file being fetched. */
  onProgress?: (p: { bytes: number; total: number; file: string }) => void;
}

export interface PulledFile { path: string; size: number; sha256?: string; gitSha1?: string }
export interface Manifest { name: string; repo: string; revision: string; commit: string; hubUrl: string; onnxFile: string; files: PulledFile[]; pulledAt: string }
export interface PullResult { manifest: Manifest; dir: string; fetchedBytes: number; reusedFiles: number }

interface Sibling { rfilename: string; size?: number; blobId?: string; lfs?: { sha256?: string; size?: number } }

/** The folder under DATA_DIR/models a model is pulled into: its name without the owner. */
export function modelFolderName(name: string): string {
  return name.split('/').pop()!;
}

/** The repository a name means: a known model's, or the name itself when it has an owner. */
export function repoOf(name: string): string {
  if (/^[\w.-]+\/[\w.-]+$/.test(name)) return name;
  const known = findKnownModel(name);
  if (known && !name.includes('/')) return known.model.repo;
  throw new PaperboyError('bad_input', `Unknown model "${name}": give a Hub repository such as Xenova/bge-small-en-v1.5, or one of ${Object.keys(KNOWN_MODELS).join(', ')}`);
}

export async function pullModel(o: PullOptions): Promise<PullResult> {
  const repo = repoOf(o.name);
  const revision = o.revision ?? 'main';
  const hubUrl = (o.hubUrl ?? 'https://huggingface.co').replace(/\/+$/, '');
  const logger = o.logger ?? silentLogger;
  const headers: Record<string, string> = {};
  if (o.userAgent) headers['User-Agent'] = o.userAgent;
  if (o.token) headers.Authorization = `Bearer ${o.token}`;

  const listing = await fetchListing(o, repo, revision, hubUrl, headers);
  const siblings = new Map(listing.siblings.map((s) => [s.rfilename, s]));
  const onnxFile = o.file ?? ONNX_CANDIDATES.find((f) => siblings.has(f));
  const onnxFiles = [...siblings.keys()].filter((f) => f.endsWith('.onnx'));
  if (!onnxFile || !siblings.has(onnxFile)) {
    throw new PaperboyError('bad_input', `${repo} has ${o.file ? `no ${o.file}` : 'no ONNX export in a place Paperboy knows'}` +
      (onnxFiles.length ? `; its ONNX files: ${onnxFiles.join(', ')} (choose one with --file)` : '; look for a repository with an onnx/ folder (e.g. under Xenova/ or onnx-community/)'));
  }
  const missing = REQUIRED_FILES.filter((f) => !siblings.has(f));
  if (missing.length) throw new PaperboyError('bad_input', `${repo} has no ${missing.join(', ')}, which an ONNX embedder needs`);
  const wanted = [...REQUIRED_FILES, ...OPTIONAL_FILES.filter((f) => siblings.has(f)),
    ...[...siblings.keys()].filter((f) => /^\d+_Pooling\/config\.json$/.test(f) || f.startsWith(`${onnxFile}_data`)), onnxFile];

  const files: PulledFile[] = wanted.map((f) => {
    const s = siblings.get(f)!;
    const size = s.lfs?.size ?? s.size;
    if (typeof size !== 'number' || !(s.lfs?.sha256 || s.blobId) || !safePath(f)) {
      throw new PaperboyError('upstream_protocol', `The Hub's listing of ${repo} gives no size or checksum for ${f}, so it cannot be verified`);
    }
    return { path: f, size, ...(s.lfs?.sha256 ? { sha256: s.lfs.sha256 } : { gitSha1: s.blobId! }) };
  });

  const dir = path.resolve(o.dir);
  mkdirSync(dir, { recursive: true });
  const previous = readManifest(dir);
  rmSync(path.join(dir, MANIFEST), { force: true }); // the folder is incomplete until the end
  const total = files.reduce((s, f) => s + f.size, 0);
  let before = 0;
  let fetchedBytes = 0;
  let reusedFiles = 0;
  for (const f of files) {
    const expected: Expected = { size: f.size, ...(f.sha256 ? { sha256: f.sha256 } : { gitSha1: f.gitSha1! }) };
    const url = `${hubUrl}/${repo}/resolve/${listing.sha}/${f.path.split('/').map(encodeURIComponent).join('/')}`;
    const got = await downloadVerified({
      url, dest: path.join(dir, f.path), expected, headers, logger, idleTimeoutMs: o.timeoutMs, maxRetries: o.maxRetries, retryBaseMs: o.retryBaseMs,
      onBytes: (n) => o.onProgress?.({ bytes: before + n, total, file: f.path }),
    });
    if (got === 0) reusedFiles++;
    fetchedBytes += got;
    before += f.size;
  }
  // Files of an earlier pull that this one no longer has (e.g. another ONNX variant) go.
  for (const old of previous?.files ?? []) {
    if (!files.some((f) => f.path === old.path) && safePath(old.path)) rmSync(path.join(dir, old.path), { force: true });
  }
  const manifest: Manifest = { name: o.name, repo, revision, commit: listing.sha, hubUrl, onnxFile, files, pulledAt: new Date().toISOString() };
  writeFileSync(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  logger.info('model pulled', { repo, commit: listing.sha, dir, fetchedBytes, reusedFiles });
  return { manifest, dir, fetchedBytes, reusedFiles };
}

async function fetchListing(o: PullOptions, repo: string, revision: string, hubUrl: string, headers: Record<string, string>) {
  const url = `${hubUrl}/api/models/${repo}/revision/${encodeURIComponent(revision)}?blobs=true`;
  const http = createPoliteHttpClient({ minIntervalMs: 0, timeoutMs: o.timeoutMs ?? 60_000, maxRetries: o.maxRetries ?? 5, headers: { Accept: 'application/json', ...headers }, logger: o.logger });
  let body: string;
  try {
    body = (await http.get(url)).body;
  } catch (e) {
    const status = e instanceof PaperboyError ? e.details?.status : undefined;
    // The Hub answers 401 rather than 404 for a repository it will not show to an anonymous client.
    if (status === 404 || status === 401 || status === 403) {
      throw new PaperboyError('not_found', `No model ${repo} at revision "${revision}" on ${hubUrl} (HTTP ${status})` +
        `${status === 404 ? '' : '; if it is private or gated, set HF_TOKEN'}`);
    }
    throw e;
  }
  let listing: { sha?: unknown; siblings?: unknown };
  try {
    listing = JSON.parse(body);
  } catch {
    throw new PaperboyError('upstream_protocol', `${url} did not answer with JSON`);
  }
  if (typeof listing.sha !== 'string' || !/^[0-9a-f]{40}$/.test(listing.sha) || !Array.isArray(listing.siblings)) {
    throw new PaperboyError('upstream_protocol', `${url} answered without a commit "sha" and a "siblings" list`);
  }
  return { sha: listing.sha, siblings: listing.siblings as Sibling[] };
}

/** A relative path that stays inside the folder. */
function safePath(p: string): boolean {
  return !path.isAbsolute(p) && !p.split(/[\\/]/).some((s) => s === '..' || s === '');
}

export function readManifest(dir: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

export interface ListedModel {
  name: string;
  dir: string;
  /** Fetched by `models pull` and complete (its record is written last). */
  pulled: boolean;
  /** Has what an ONNX embedder needs and no half-downloaded file. */
  complete: boolean;
  repo?: string;
  commit?: string;
  onnxFile?: string;
  bytes: number;
  pulledAt?: string;
}

/** The model folders under modelsDir (NAME or OWNER/NAME), pulled or put there by hand. */
export function listModels(modelsDir: string): ListedModel[] {
  if (!existsSync(modelsDir)) return [];
  const out: ListedModel[] = [];
  const visit = (dir: string, name: string, depth: number) => {
    const m = readManifest(dir);
    if (m || existsSync(path.join(dir, 'config.json'))) {
      const files = walk(dir);
      const complete = Boolean(m) || (REQUIRED_FILES.every((f) => files.has(f)) && ONNX_CANDIDATES.some((f) => files.has(f)) && ![...files.keys()].some((f) => f.endsWith('.part')));
      out.push({ name, dir, pulled: Boolean(m), complete, repo: m?.repo, commit: m?.commit, onnxFile: m?.onnxFile ?? ONNX_CANDIDATES.find((f) => files.has(f)),
        bytes: [...files.values()].reduce((a, b) => a + b, 0), pulledAt: m?.pulledAt });
    } else if (depth < 2) {
      for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) visit(path.join(dir, e.name), depth ? `${name}/${e.name}` : e.name, depth + 1);
    }
  };
  visit(modelsDir, '', 0);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Relative path → size of every file under dir. */
function walk(dir: string, prefix = '', out = new Map<string, number>()): Map<string, number> {
  for (const e of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) walk(dir, rel, out);
    else out.set(rel, statSync(path.join(dir, rel)).size);
  }
  return out;
}

// Import benchmark: the 74,728-paper daily-arXiv cs file into a fresh SQLite database
// (FTS5 index included). Prints papers/s, peak RSS and database size.

import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFiles } from '../src/ingest/import-files.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.resolve(repoRoot, '../shared/data/arxiv/daily-arxiv-cs-2025-03-18_2026-07-01.jsonl.gz');

export async function run(): Promise<void> {
  if (!existsSync(DATA)) {
    process.stderr.write(`bench import: data file not found: ${DATA}\n` +
      'It is the daily-arXiv cs JSONL (74,728 papers) expected next to the repository under ../shared/data/arxiv/.\n');
    process.exit(1);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-bench-'));
  const db = path.join(dir, 'bench.db');
  try {
    const store = openSqliteStore(db);
    await store.migrate();
    const s = await importFiles(store, [DATA], { batchSize: Number(process.env.BATCH_SIZE ?? 2000) });
    await store.close();
    const rssMb = process.resourceUsage().maxRSS / 1024;
    const dbMb = statSync(db).size / 1e6;
    const rate = Math.round(s.read / (s.elapsedMs / 1000));
    const lines = [
      `file        ${path.basename(DATA)} (${(statSync(DATA).size / 1e6).toFixed(1)} MB gzip)`,
      `papers      ${s.read} read, ${s.inserted} inserted, ${s.updated} updated, ${s.bad} bad`,
      `time        ${(s.elapsedMs / 1000).toFixed(2)} s`,
      `rate        ${rate.toLocaleString('en-US')} papers/s`,
      `peak RSS    ${rssMb.toFixed(0)} MB`,
      `db size     ${dbMb.toFixed(1)} MB`,
      `machine     ${cpus().length} cores, node ${process.version}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

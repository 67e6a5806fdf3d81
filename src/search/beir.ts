// Readers for the BEIR retrieval-benchmark format: corpus.jsonl(.gz) with _id,title,text;
// queries.jsonl with _id,text; qrels TSV with a "query-id corpus-id score" header. A corpus
// of papers as Paperboy imports them (id, title, abstract) reads as well.

import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { PaperboyError } from '../errors.js';
import type { Qrels } from './metrics.js';

export interface BeirDoc { id: string; title: string; text: string }
export interface BeirQuery { id: string; text: string }

export async function* readBeirCorpus(file: string): AsyncGenerator<BeirDoc> {
  const input = createReadStream(file);
  const lines = createInterface({ input: file.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    const row = parseLine(file, n, line);
    yield { id: String(row._id ?? row.id), title: String(row.title ?? ''), text: String(row.text ?? row.abstract ?? '') };
  }
}

export function readBeirQueries(file: string): BeirQuery[] {
  return readFileSync(file, 'utf8').split('\n').map((line, i) => [line, i + 1] as const)
    .filter(([line]) => line.trim())
    .map(([line, n]) => {
      const row = parseLine(file, n, line);
      return { id: String(row._id), text: String(row.text ?? '') };
    });
}

export function readQrels(file: string): Qrels {
  const qrels: Qrels = new Map();
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    const cols = line.trim().split(/\t|\s+/);
    if (cols.length < 3 || (i === 0 && !/^\d+$/.test(cols[2]!))) return; // header or blank
    const score = Number(cols[2]);
    if (!Number.isFinite(score)) throw new PaperboyError('bad_input', `${file}:${i + 1}: score "${cols[2]}" is not a number`);
    const q = qrels.get(cols[0]!) ?? new Map<string, number>();
    q.set(cols[1]!, score);
    qrels.set(cols[0]!, q);
  });
  return qrels;
}

function parseLine(file: string, n: number, line: string): Record<string, unknown> {
  try {
    const row = JSON.parse(line) as Record<string, unknown>;
    if (row._id === undefined && row.id === undefined) throw new Error('missing _id');
    return row;
  } catch (e) {
    throw new PaperboyError('bad_input', `${file}:${n}: ${(e as Error).message}`);
  }
}

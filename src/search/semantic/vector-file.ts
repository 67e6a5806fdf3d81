// The vector index on disk, so a restart loads it instead of embedding every paper and
// building the graph again (minutes for a million papers). Two files beside the database:
// `<db>.search-vectors` (a JSON header line, then the rows' typed arrays and ids) and, for
// a large index, `<db>.search-vectors.graph` (usearch's own format). Each records which
// database, up to which change and with which model it was built; a file that does not
// match, or a damaged one, is ignored and the index rebuilt.

import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { VectorIndex, type VectorIndexSnapshot } from './vector-index.js';

export interface VectorOrigin {
  /** The database's random id (as for the word index). */
  storeId: string;
  /** The store's change sequence the index covers: later changes are embedded after loading. */
  changeSeq: number;
  model: string;
}

const count = z.number().int().min(0);
const HeaderSchema = z.object({
  format: z.literal('paperboy-vectors'),
  version: z.literal(1),
  origin: z.object({ storeId: z.string(), changeSeq: count, model: z.string() }),
  dimensions: count,
  rows: count,
  categories: z.array(z.object({ name: z.string(), rows: count })),
  idsBytes: count,
  graph: z.boolean(),
});

export function graphFileOf(file: string): string {
  return `${file}.graph`;
}

/** Writes both files under temporary names and renames them into place (the graph first). */
export function saveVectorIndex(file: string, index: VectorIndex, origin: VectorOrigin): void {
  const snap = index.snapshot();
  const ids = Buffer.from(snap.ids.join('\n'), 'utf8');
  const graph = graphFileOf(file);
  const tmpGraph = `${graph}.tmp-${process.pid}`;
  const hasGraph = index.saveGraph(tmpGraph);
  const header = {
    format: 'paperboy-vectors', version: 1, origin, dimensions: index.dimensions, rows: snap.rows,
    categories: snap.categoryRows.map((rows, i) => ({ name: snap.categoryNames[i]!, rows: rows.length })), idsBytes: ids.byteLength, graph: hasGraph,
  };
  const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const parts = [
    Buffer.from(JSON.stringify(header) + '\n'), bytes(snap.keys), bytes(snap.days), bytes(snap.scales), bytes(snap.dead), bytes(snap.matrix),
    ...snap.categoryRows.map((rows) => bytes(Int32Array.from(rows))), ids,
  ];
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, Buffer.concat(parts));
  if (hasGraph) renameSync(tmpGraph, graph);
  else rmSync(graph, { force: true });
  renameSync(tmp, file);
}

/** The saved index if it was built from this database with this model; null otherwise (the caller rebuilds). */
export function loadVectorIndex(file: string, expect: { storeId: string; model: string; maxChangeSeq: number }): { index: VectorIndex; origin: VectorOrigin } | null {
  if (!existsSync(file)) return null;
  try {
    const buf = readFileSync(file);
    const newline = buf.indexOf(10);
    const header = HeaderSchema.parse(JSON.parse(buf.subarray(0, newline).toString('utf8')));
    const { origin, rows, dimensions } = header;
    if (origin.storeId !== expect.storeId || origin.model !== expect.model || origin.changeSeq > expect.maxChangeSeq) return null;
    let at = newline + 1;
    // Copies, not views: the Buffer's offset need not be aligned for the typed arrays.
    const take = <T>(make: (n: number) => T & { buffer: ArrayBufferLike }, n: number, size: number): T => {
      const out = make(n);
      new Uint8Array(out.buffer).set(buf.subarray(at, at + n * size));
      at += n * size;
      return out;
    };
    const snap: VectorIndexSnapshot = {
      rows,
      keys: take((n) => new Float64Array(n), rows, 8),
      days: take((n) => new Int32Array(n), rows, 4),
      scales: take((n) => new Float32Array(n), rows, 4),
      dead: take((n) => new Uint8Array(n), rows, 1),
      matrix: take((n) => new Int8Array(n), rows * dimensions, 1),
      categoryNames: header.categories.map((c) => c.name),
      categoryRows: header.categories.map((c) => Array.from(take((n) => new Int32Array(n), c.rows, 4))),
      ids: [],
    };
    const ids = buf.subarray(at, at + header.idsBytes).toString('utf8');
    if (at + header.idsBytes !== buf.byteLength) throw new Error('the file is not the length its header says');
    snap.ids = rows ? ids.split('\n') : [];
    if (snap.ids.length !== rows) throw new Error('ids do not match the rows');
    const index = VectorIndex.fromSnapshot(origin.model, dimensions, snap, header.graph ? graphFileOf(file) : null);
    return { index, origin };
  } catch (e) {
    throw new Error(`the saved vector index ${file} is damaged (${(e as Error).message})`);
  }
}

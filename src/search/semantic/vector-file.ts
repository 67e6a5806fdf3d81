// The vector index on disk, so a restart loads it instead of embedding every paper and
// building the graph again (minutes for a million papers). Files beside the database:
// `<db>.search-vectors` (a JSON header line, then the rows' typed arrays and ids),
// for a large index `<db>.search-vectors.graph` (usearch's own format, memory-mapped at
// load rather than read) and, when papers were added after that graph was saved,
// `<db>.search-vectors.graph-added` (their small graph, read). The header records which
// database, up to which change and with which model it was built, and what the graph
// files hold; a file that does not match, or a damaged one, is ignored and the index rebuilt.

import { closeSync, existsSync, fstatSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  version: z.literal(2),
  origin: z.object({ storeId: z.string(), changeSeq: count, model: z.string() }),
  dimensions: count,
  rows: count,
  categories: z.array(z.object({ name: z.string(), rows: count })),
  idsBytes: count,
  /** The graph files: rows and vectors they hold, and their sizes in bytes (a truncated file is never mapped). */
  graph: z.object({
    rows: count, size: count, bytes: count,
    added: z.object({ size: count, bytes: count }).nullable(),
    /** Subtracted from every vector the graphs hold (absent in files saved before it: nothing). */
    centre: z.array(z.number()).nullable().optional(),
  }).nullable(),
});

/** Longest header line read (its categories' names make most of it). */
const MAX_HEADER_BYTES = 16 << 20;

export function graphFileOf(file: string): string {
  return `${file}.graph`;
}

export function addedGraphFileOf(file: string): string {
  return `${file}.graph-added`;
}

/**
 * Writes the files under temporary names and renames them into place, the rows last. A
 * graph still mapped from its file is not written again: only the graph of papers added since.
 */
export function saveVectorIndex(file: string, index: VectorIndex, origin: VectorOrigin): void {
  const snap = index.snapshot();
  const ids = Buffer.from(snap.ids.join('\n'), 'utf8');
  const [graph, added] = [graphFileOf(file), addedGraphFileOf(file)];
  const tmp = (f: string) => `${f}.tmp-${process.pid}`;
  const keepGraph = index.mappedGraphFile === graph;
  const graphs = index.saveGraphs(keepGraph ? null : tmp(graph), tmp(added));
  const header = {
    format: 'paperboy-vectors', version: 2, origin, dimensions: index.dimensions, rows: snap.rows,
    categories: snap.categoryRows.map((rows, i) => ({ name: snap.categoryNames[i]!, rows: rows.length })), idsBytes: ids.byteLength,
    graph: graphs && {
      rows: graphs.rows, size: graphs.size, bytes: statSync(keepGraph ? graph : tmp(graph)).size,
      added: graphs.added && { size: graphs.added.size, bytes: statSync(tmp(added)).size },
      centre: graphs.centre,
    },
  } satisfies z.infer<typeof HeaderSchema>;
  const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const parts = [
    Buffer.from(JSON.stringify(header) + '\n'), bytes(snap.keys), bytes(snap.days), bytes(snap.scales), bytes(snap.dead), bytes(snap.matrix),
    ...snap.categoryRows.map((rows) => bytes(Int32Array.from(rows))), ids,
  ];
  writeFileSync(tmp(file), Buffer.concat(parts));
  if (!graphs) rmSync(graph, { force: true });
  else if (!keepGraph) renameSync(tmp(graph), graph);
  if (graphs?.added) renameSync(tmp(added), added);
  else rmSync(added, { force: true });
  renameSync(tmp(file), file);
}

/**
 * The saved index if it was built from this database with this model; null otherwise (the
 * caller rebuilds). The rows are read straight into their typed arrays (no copy of the
 * whole file), the graph memory-mapped.
 */
export function loadVectorIndex(file: string, expect: { storeId: string; model: string; maxChangeSeq: number }): { index: VectorIndex; origin: VectorOrigin } | null {
  if (!existsSync(file)) return null;
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const { header, length } = readHeader(fd);
    const { origin, rows, dimensions } = header;
    if (origin.storeId !== expect.storeId || origin.model !== expect.model || origin.changeSeq > expect.maxChangeSeq) return null;
    let at = length;
    const read = <T extends ArrayBufferView>(out: T): T => {
      readFully(fd!, new Uint8Array(out.buffer, out.byteOffset, out.byteLength), at);
      at += out.byteLength;
      return out;
    };
    const snap: VectorIndexSnapshot = {
      rows,
      keys: read(new Float64Array(rows)),
      days: read(new Int32Array(rows)),
      scales: read(new Float32Array(rows)),
      dead: read(new Uint8Array(rows)),
      matrix: read(new Int8Array(rows * dimensions)),
      categoryNames: header.categories.map((c) => c.name),
      categoryRows: header.categories.map((c) => Array.from(read(new Int32Array(c.rows)))),
      ids: [],
    };
    const ids = read(Buffer.alloc(header.idsBytes)).toString('utf8');
    if (at !== fstatSync(fd).size) throw new Error('the file is not the length its header says');
    snap.ids = rows ? ids.split('\n') : [];
    if (snap.ids.length !== rows) throw new Error('ids do not match the rows');
    let graphs = null;
    if (header.graph) {
      const [graph, added] = [graphFileOf(file), addedGraphFileOf(file)];
      checkLength(graph, header.graph.bytes);
      if (header.graph.added) checkLength(added, header.graph.added.bytes);
      graphs = { ...header.graph, centre: header.graph.centre ?? null, file: graph, addedFile: added };
    }
    return { index: VectorIndex.fromSnapshot(origin.model, dimensions, snap, graphs), origin };
  } catch (e) {
    throw new Error(`the saved vector index ${file} is damaged (${(e as Error).message})`);
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function readHeader(fd: number): { header: z.infer<typeof HeaderSchema>; length: number } {
  let head = Buffer.alloc(0);
  for (;;) {
    const chunk = Buffer.alloc(64 << 10);
    const n = readSync(fd, chunk, 0, chunk.length, head.length);
    head = Buffer.concat([head, chunk.subarray(0, n)]);
    const newline = head.indexOf(10);
    if (newline >= 0) return { header: HeaderSchema.parse(JSON.parse(head.subarray(0, newline).toString('utf8'))), length: newline + 1 };
    if (n === 0 || head.length > MAX_HEADER_BYTES) throw new Error('no header line');
  }
}

function readFully(fd: number, into: Uint8Array, position: number): void {
  for (let done = 0; done < into.length; ) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) throw new Error('the file ends before its header says');
    done += n;
  }
}

function checkLength(file: string, bytes: number): void {
  const actual = existsSync(file) ? statSync(file).size : -1;
  if (actual !== bytes) throw new Error(`${file} is ${actual < 0 ? 'missing' : `${actual} bytes`}, the header says ${bytes}`);
}

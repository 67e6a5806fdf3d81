// The main segment on disk, so a restart loads the index in seconds instead of
// re-reading and re-analysing every abstract (about 90 s for a million papers). The file
// is a small JSON header followed by the segment's typed arrays, 8-byte aligned, which
// load as views over one buffer without copying. It records what it was built from —
// which database, up to which change, with which parameters and analyser — and is
// ignored when any of those differ.

import { createHash } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { z } from 'zod';
import type { ContentVersion } from '../../store/store.js';
import { analyze } from './analyze.js';
import type { Bm25Params, Segment } from './segment.js';

const MAGIC = 'PBLEX004';
const ALIGN = 8;

export interface SegmentOrigin {
  /** A random id of the database the index was built from (see Store.secret). */
  storeId: string;
  /** The database's content version when the build started: later changes are folded in after loading. */
  version: ContentVersion;
  params: Bm25Params;
  /** Changes when the analyser would turn text into different terms. */
  analyzer: string;
}

/** A fingerprint of the analyser: the terms it makes of a sample that exercises stemming, stop words and folding. */
export function analyzerFingerprint(): string {
  const sample = 'The Networks were learning équivariant représentations; running runs ran 3D-CNNs at 10x speed, isn\'t it? Über naïve ﬁne-tuning from a few examples.';
  return createHash('sha256').update(analyze(sample).join(' ')).digest('hex').slice(0, 16);
}

type ArrayName = 'keys' | 'days' | 'start' | 'docs' | 'sat' | 'maxSat' | 'inTitle' | 'byDay';
const ARRAYS: Record<ArrayName, Int32ArrayConstructor | Uint32ArrayConstructor | Uint16ArrayConstructor | Uint8ArrayConstructor> = {
  keys: Int32Array, days: Int32Array, start: Uint32Array, docs: Uint32Array, sat: Uint16Array, maxSat: Uint16Array, inTitle: Uint8Array, byDay: Uint32Array,
};

const count = z.number().int().min(0);
const perField = z.tuple([z.number(), z.number(), z.number(), z.number()]);
/** Checked on load: a file from an older version or a damaged one is refused, not half-read. */
const HeaderSchema = z.object({
  origin: z.object({
    storeId: z.string(),
    version: z.object({ maxKey: count.nullable(), lastModified: z.string().nullable(), changeSeq: count }),
    params: z.object({ k1: z.number(), weights: perField, b: perField }),
    analyzer: z.string(),
  }),
  size: count,
  lengths: z.object({ avg: perField }),
  /** Byte lengths of the blocks of the body, in order. */
  blocks: z.array(z.object({ name: z.string(), bytes: count })),
  categories: z.array(z.string()),
});
type Header = z.infer<typeof HeaderSchema>;

/** Writes the segment next to `file` and renames it into place, so a reader never sees half a file. */
export async function saveSegment(file: string, seg: Segment, origin: SegmentOrigin): Promise<void> {
  const blocks: { name: string; data: Uint8Array }[] = [];
  for (const name of Object.keys(ARRAYS) as ArrayName[]) blocks.push({ name, data: bytesOf(seg[name]) });
  blocks.push({ name: 'ids', data: Buffer.from(seg.ids.join('\n')) });
  blocks.push({ name: 'terms', data: Buffer.from([...seg.terms.keys()].join('\n')) });
  // The terms' order, sorted here (in the process that builds the index) rather than by the server that loads it.
  const sorted = seg.sortedTerms ?? [...seg.terms.keys()].sort();
  blocks.push({ name: 'termOrder', data: bytesOf(Uint32Array.from(sorted, (t) => seg.terms.get(t)!)) });
  blocks.push({ name: 'surface', data: Buffer.from(seg.surface.join('\n')) });
  const categories = [...seg.categories.keys()];
  for (const c of categories) blocks.push({ name: `category:${c}`, data: bytesOf(seg.categories.get(c)!) });
  const header: Header = { origin, size: seg.size, lengths: seg.lengths, blocks: blocks.map((b) => ({ name: b.name, bytes: b.data.byteLength })), categories };
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(pad(MAGIC.length + 4 + json.length));
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(json.length, MAGIC.length);
  json.copy(prefix, MAGIC.length + 4);

  // Named by process: two processes saving at once must not rename each other's file.
  const partial = `${file}.partial-${process.pid}`;
  const fh = await open(partial, 'w');
  try {
    await fh.write(prefix);
    for (const b of blocks) {
      await fh.write(b.data);
      const gap = pad(b.data.byteLength) - b.data.byteLength;
      if (gap) await fh.write(Buffer.alloc(gap));
    }
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(partial, { force: true });
    throw e;
  }
  await fh.close();
  await rename(partial, file);
}

/**
 * The segment saved in `file` and what it was built from; null when there is none or it
 * is unreadable, in which case `onDamaged` hears why (a missing file is not damaged).
 */
export async function loadSegment(file: string, onDamaged: (reason: string) => void = () => {}): Promise<{ segment: Segment; origin: SegmentOrigin } | null> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') onDamaged(`unreadable: ${(e as Error).message}`);
    return null;
  }
  const found = readSegment(buf);
  if (typeof found === 'string') onDamaged(found);
  return typeof found === 'string' ? null : found;
}

/** The segment in a file's bytes, or why they are not one. */
function readSegment(buf: Buffer): { segment: Segment; origin: SegmentOrigin } | string {
  // Typed-array views need aligned offsets; a large read has its own buffer at offset 0.
  if (buf.byteOffset % ALIGN !== 0) buf = Buffer.from(new Uint8Array(buf));
  if (buf.length < MAGIC.length + 4 || !buf.toString('latin1', 0, 5).startsWith('PBLEX')) return 'not a search index file (no header)';
  if (buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return 'written by another version of Paperboy';
  try {
    const jsonLength = buf.readUInt32LE(MAGIC.length);
    const parsed = HeaderSchema.safeParse(JSON.parse(buf.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + jsonLength)));
    if (!parsed.success) return 'its header is from another version or damaged';
    const header = parsed.data;
    let offset = buf.byteOffset + pad(MAGIC.length + 4 + jsonLength);
    const raw = new Map<string, Uint8Array>();
    for (const b of header.blocks) {
      if (offset - buf.byteOffset + b.bytes > buf.length) return 'truncated';
      raw.set(b.name, new Uint8Array(buf.buffer, offset, b.bytes));
      offset += pad(b.bytes);
    }
    const required = [...Object.keys(ARRAYS), 'ids', 'terms', 'termOrder', 'surface', ...header.categories.map((c) => `category:${c}`)];
    if (required.some((name) => !raw.has(name))) return 'blocks are missing';
    const view = <T>(name: string, Type: { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number }) => {
      const bytes = raw.get(name)!;
      return new Type(bytes.buffer, bytes.byteOffset, bytes.byteLength / Type.BYTES_PER_ELEMENT);
    };
    const lines = (name: string) => {
      const bytes = raw.get(name)!;
      return bytes.byteLength === 0 ? [] : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').split('\n');
    };
    const termList = lines('terms');
    const termOrder = view('termOrder', Uint32Array);
    const segment: Segment = {
      size: header.size,
      lengths: header.lengths,
      keys: view('keys', Int32Array),
      days: view('days', Int32Array),
      start: view('start', Uint32Array),
      docs: view('docs', Uint32Array),
      sat: view('sat', Uint16Array),
      maxSat: view('maxSat', Uint16Array),
      inTitle: view('inTitle', Uint8Array),
      byDay: view('byDay', Uint32Array),
      ids: lines('ids'),
      terms: new Map(termList.map((t, i) => [t, i])),
      sortedTerms: Array.from(termOrder, (id) => termList[id] ?? ''),
      surface: lines('surface'),
      categories: new Map(header.categories.map((c) => [c, view(`category:${c}`, Uint32Array)])),
    };
    if (segment.ids.length !== segment.size || segment.start.length !== termList.length + 1 || segment.surface.length !== termList.length
      || segment.inTitle.length !== (segment.docs.length + 7) >>> 3 || termOrder.length !== termList.length) return 'its sizes do not agree';
    return { segment, origin: header.origin };
  } catch (e) {
    return `unreadable: ${(e as Error).message}`;
  }
}

function bytesOf(a: Int32Array | Uint32Array | Uint16Array | Uint8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function pad(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

// Keeps the lexical index in step with the store: built on first use (or loaded from the
// file of the last build), then before each query a cheap content-version check decides
// whether to fold recent changes into the delta segment. When the delta grows past a
// fraction of the main segment the whole index is rebuilt, so the delta stays small and
// fast to re-index.

import type { Logger } from '../../logger.js';
import type { ContentVersion, Store } from '../../store/store.js';
import { LexicalIndex } from './lexical-index.js';
import { DEFAULT_BM25, segmentBuilder, type Bm25Params } from './segment.js';
import { analyzerFingerprint, loadSegment, saveSegment, type SegmentOrigin } from './segment-file.js';

export interface LexicalSearcher {
  /** The index, current with the store. */
  index(): Promise<LexicalIndex>;
  /** Resolves once a save of the index in progress has finished (or failed, which is logged). */
  saved(): Promise<void>;
}

export interface SearcherOptions {
  logger?: Logger;
  params?: Bm25Params;
  /** Rebuild when the delta exceeds this share of the main segment (and 5,000 papers). */
  rebuildRatio?: number;
  /** Where the main segment is saved after each build and loaded from at start; none: always build. */
  file?: string;
}

/** Names the database in saved indexes, so an index is never loaded over another database. */
export const STORE_ID_SECRET = 'search-index-store-id';

export function createLexicalSearcher(store: Store, opts: SearcherOptions = {}): LexicalSearcher {
  const params = opts.params ?? DEFAULT_BM25;
  let current: { index: LexicalIndex; version: ContentVersion } | null = null;
  let pending: Promise<LexicalIndex> | null = null;
  let saving: Promise<void> = Promise.resolve();

  const build = async (): Promise<LexicalIndex> => {
    const t0 = performance.now();
    const version = await store.contentVersion();
    const builder = segmentBuilder(params);
    let n = 0;
    for await (const doc of store.searchDocuments()) {
      builder.add(doc);
      // Indexing a large store takes a while: let the server answer other requests meanwhile.
      if (++n % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const segment = builder.finish();
    const index = new LexicalIndex(segment, params);
    current = { index, version };
    opts.logger?.info('search index built', { papers: index.size, ms: Math.round(performance.now() - t0) });
    if (opts.file) {
      const file = opts.file;
      const origin: SegmentOrigin = { storeId: await store.secret(STORE_ID_SECRET), version, params, analyzer: analyzerFingerprint() };
      // In the background: queries need not wait for the disk, and a failed save only costs the next start a build.
      saving = saveSegment(file, segment, origin).then(
        () => opts.logger?.debug('search index saved', { file }),
        (e: unknown) => opts.logger?.warn('could not save the search index; the next start will rebuild it', { file, error: String(e) }),
      );
    }
    return index;
  };

  /** The saved index, when it was built from this database (up to a change it still has) with these settings. */
  const load = async (now: ContentVersion): Promise<{ index: LexicalIndex; version: ContentVersion } | null> => {
    if (!opts.file) return null;
    const t0 = performance.now();
    const saved = await loadSegment(opts.file, (reason) => opts.logger?.warn('the saved search index is damaged; rebuilding it', { file: opts.file, reason }));
    if (!saved) return null;
    const { origin } = saved;
    const fits = origin.storeId === (await store.secret(STORE_ID_SECRET))
      && JSON.stringify(origin.params) === JSON.stringify(params)
      && origin.analyzer === analyzerFingerprint()
      && (origin.version.maxKey ?? 0) <= (now.maxKey ?? 0)
      && origin.version.changeSeq <= now.changeSeq;
    if (!fits) {
      opts.logger?.info('the saved search index does not match this database or these settings; rebuilding it', { file: opts.file });
      return null;
    }
    const index = new LexicalIndex(saved.segment, params);
    opts.logger?.info('search index loaded', { papers: index.size, ms: Math.round(performance.now() - t0) });
    return { index, version: origin.version };
  };

  const refresh = async (): Promise<LexicalIndex> => {
    const version = await store.contentVersion();
    if (!current) {
      const loaded = await load(version);
      if (!loaded) return build();
      current = loaded;
    }
    if (version.changeSeq === current.version.changeSeq) return current.index;
    const { index } = current;
    // Fold the changes into the delta, unless there are so many that a rebuild is cheaper.
    const limit = Math.max(5000, index.size * (opts.rebuildRatio ?? 0.1)) - index.deltaSize;
    const changed = [];
    for await (const doc of store.searchDocuments({ changedAfter: current.version.changeSeq })) {
      changed.push(doc);
      if (changed.length > limit) return build();
    }
    index.upsert(changed);
    current = { index, version };
    return index;
  };

  return {
    index() {
      // One refresh at a time; concurrent queries share it.
      pending ??= refresh().finally(() => { pending = null; });
      return pending;
    },
    saved: () => saving,
  };
}

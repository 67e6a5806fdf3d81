// Keeps the lexical index in step with the store: built on first use, then before each
// query a cheap content-version check decides whether to fold recent changes into the
// delta segment. When the delta grows past a fraction of the main segment the whole
// index is rebuilt, so the delta stays small and fast to re-index.

import type { Logger } from '../../logger.js';
import type { ContentVersion, Store } from '../../store/store.js';
import { LexicalIndex } from './lexical-index.js';
import { DEFAULT_BM25, segmentBuilder, type Bm25Params } from './segment.js';

export interface LexicalSearcher {
  /** The index, current with the store. */
  index(): Promise<LexicalIndex>;
}

export interface SearcherOptions {
  logger?: Logger;
  params?: Bm25Params;
  /** Rebuild when the delta exceeds this share of the main segment (and 5,000 papers). */
  rebuildRatio?: number;
}

export function createLexicalSearcher(store: Store, opts: SearcherOptions = {}): LexicalSearcher {
  const params = opts.params ?? DEFAULT_BM25;
  let current: { index: LexicalIndex; version: ContentVersion } | null = null;
  let pending: Promise<LexicalIndex> | null = null;

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
    const index = new LexicalIndex(builder.finish(), params);
    current = { index, version };
    opts.logger?.info('search index built', { papers: index.size, ms: Math.round(performance.now() - t0) });
    return index;
  };

  const refresh = async (): Promise<LexicalIndex> => {
    const version = await store.contentVersion();
    if (!current) return build();
    if (version.maxKey === current.version.maxKey && version.lastModified === current.version.lastModified) return current.index;
    const { index } = current;
    // Fold the changes into the delta, unless there are so many that a rebuild is cheaper.
    const limit = Math.max(5000, index.size * (opts.rebuildRatio ?? 0.1)) - index.deltaSize;
    const changed = [];
    for await (const doc of store.searchDocuments({ modifiedSince: current.version.lastModified ?? undefined })) {
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
  };
}

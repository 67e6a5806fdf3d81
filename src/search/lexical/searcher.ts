// Keeps the lexical index in step with the store: built on first use (or loaded from the
// file of the last build), then before each query a cheap content-version check decides
// whether to fold recent changes into the delta segment. When the delta grows past a
// fraction of the main segment the whole index is rebuilt, so the delta stays small and
// fast to re-index. A server builds in a worker thread instead (index-builder.ts) and loads
// the saved file; meanwhile a search waits a few seconds at most, then is told to come back.

import { PaperboyError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { IndexBuilder } from '../index-builder.js';
import type { ContentVersion, Store } from '../../store/store.js';
import { LexicalIndex } from './lexical-index.js';
import { DEFAULT_BM25, segmentBuilder, type Bm25Params } from './segment.js';
import { analyzerFingerprint, loadSegment, saveSegment, type SegmentOrigin } from './segment-file.js';

export interface LexicalSearcher {
  /**
   * The index, current with the store. While a builder makes the first one, a query waits
   * a few seconds and is then refused ('starting'); `untilBuilt` waits as long as it takes.
   */
  index(untilBuilt?: boolean): Promise<LexicalIndex>;
  /** Resolves once a save of the index in progress has finished (or failed, which is logged). */
  saved(): Promise<void>;
  /** Whether an index is there to answer (false while the first one is built or loaded). */
  isReady(): boolean;
}

export interface SearcherOptions {
  logger?: Logger;
  params?: Bm25Params;
  /** Rebuild when the delta exceeds this share of the main segment (and 5,000 papers). */
  rebuildRatio?: number;
  /** Where the main segment is saved after each build and loaded from at start; none: always build. */
  file?: string;
  /** Builds and saves the index elsewhere (a worker thread); this searcher then loads `file`. */
  builder?: IndexBuilder;
  /** With a builder: how long a query waits for the first index before it is refused (503, come back later). */
  patienceMs?: number;
}

/** How long a query waits for an index being built elsewhere, and when to come back after. */
const PATIENCE_MS = 3000;
const RETRY_AFTER_SECONDS = 30;

/** Names the database in saved indexes, so an index is never loaded over another database. */
export const STORE_ID_SECRET = 'search-index-store-id';

export function createLexicalSearcher(store: Store, opts: SearcherOptions = {}): LexicalSearcher {
  const params = opts.params ?? DEFAULT_BM25;
  let current: { index: LexicalIndex; version: ContentVersion } | null = null;
  let pending: Promise<LexicalIndex> | null = null;
  let saving: Promise<void> = Promise.resolve();
  let rebuilding: Promise<void> | null = null;
  const builder = opts.file ? opts.builder : undefined;

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
    const saved = await loadSegment(opts.file, (reason) => opts.logger?.warn('the saved search index cannot be used; rebuilding it', { file: opts.file, reason }));
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

  /** The index built elsewhere and saved, loaded; built here if that failed. */
  const buildElsewhere = async (): Promise<LexicalIndex> => {
    try {
      await builder!({ part: 'words' });
      const loaded = await load(await store.contentVersion());
      if (loaded) {
        current = loaded;
        return refresh();
      }
      opts.logger?.warn('the search index built in the background could not be loaded; building it here', { file: opts.file });
    } catch (e) {
      opts.logger?.warn('the search index could not be built in the background; building it here', { error: String(e) });
    }
    return build();
  };

  const refresh = async (): Promise<LexicalIndex> => {
    // Asked before every query: the version last read, while the store knows of no change since.
    const version = await store.contentVersion({ cached: true });
    if (!current) {
      const loaded = await load(version);
      if (!loaded) return builder ? buildElsewhere() : build();
      current = loaded;
    }
    if (version.changeSeq === current.version.changeSeq || rebuilding) return current.index;
    const { index } = current;
    // Fold the changes into the delta, unless there are so many that a rebuild is cheaper.
    const limit = Math.max(5000, index.size * (opts.rebuildRatio ?? 0.1)) - index.deltaSize;
    const changed = [];
    for await (const doc of store.searchDocuments({ changedAfter: current.version.changeSeq })) {
      changed.push(doc);
      if (changed.length > limit) {
        if (!builder) return build();
        // Answer from the index as it is until the new one is ready, then swap.
        rebuilding = buildElsewhere().then(() => undefined, () => undefined).finally(() => { rebuilding = null; });
        return index;
      }
    }
    index.upsert(changed);
    current = { index, version };
    return index;
  };

  /** The first index, or a refusal to come back later when it takes longer than a query should wait. */
  const patiently = (p: Promise<LexicalIndex>): Promise<LexicalIndex> => {
    if (!builder || current) return p;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PaperboyError('starting', 'The search index is being built; please try again in a minute.', { retryAfterSeconds: RETRY_AFTER_SECONDS })), opts.patienceMs ?? PATIENCE_MS);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  };

  return {
    index(untilBuilt = false) {
      // One refresh at a time; concurrent queries share it.
      pending ??= refresh().finally(() => { pending = null; });
      return untilBuilt ? pending : patiently(pending);
    },
    saved: () => saving,
    isReady: () => current !== null,
  };
}

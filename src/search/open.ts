// Builds the search engine from the configuration: the lexical index (saved beside the
// database) and, unless turned off, search by meaning with the built-in model (also
// saved beside the database once trained).

import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { searchIndexFileOf } from '../store/open-store.js';
import type { Trending } from '../trending/index.js';
import type { IndexBuilder } from './index-builder.js';
import type { Embedder } from './embedders/embedder.js';
import { createSearchEngine, type SearchEngine } from './search.js';
import { createSemanticSearcher, type SemanticSearcherOptions } from './semantic/searcher.js';

export interface OpenSearchOptions {
  logger?: Logger;
  trending?: Trending;
  /** CLI commands wait for the vectors; a server answers by words until they are ready. */
  waitForVectors?: boolean;
  /** An external model (ONNX folder, HTTP endpoint) instead of the built-in one. */
  embedder?: Embedder | null;
  onProgress?: SemanticSearcherOptions['onProgress'];
  /** Retrain the built-in model at the first build even if a saved one fits. */
  retrain?: boolean;
  retrainGrowth?: number;
  /** Builds the indexes elsewhere (a server's worker thread: index-builder.ts); the searchers load the files it saves. */
  builder?: IndexBuilder;
}

export function openSearchEngine(store: Store, config: Config, opts: OpenSearchOptions = {}): SearchEngine {
  const indexFile = searchIndexFileOf(config);
  const semantic = config.search.semantic
    ? createSemanticSearcher(store, {
      logger: opts.logger, embedder: opts.embedder ?? null, onProgress: opts.onProgress, retrain: opts.retrain,
      retrainGrowth: opts.retrainGrowth, builder: opts.builder,
      modelFile: indexFile?.replace(/search-index$/, 'search-model'),
      indexFile: indexFile?.replace(/search-index$/, 'search-vectors'),
    })
    : null;
  return createSearchEngine(store, {
    logger: opts.logger, indexFile, builder: opts.builder, trending: opts.trending, semantic, fusion: config.search.fusion, waitForVectors: opts.waitForVectors ?? false,
  });
}

// Keeps the vector index in step with the store, like the lexical searcher does for words.
// With the built-in embedder, the model is trained from the corpus on first build (or
// loaded from the file of the last training) and retrained in the background once the
// corpus has grown by a quarter; papers that arrive meanwhile are embedded with the
// current model at the next query. A server never waits for a build: until the vectors
// are ready, search answers with words alone.

import type { Logger } from '../../logger.js';
import type { ContentVersion, SearchDocument, Store } from '../../store/store.js';
import { documentText, type Embedder } from '../embedders/embedder.js';
import { loadBuiltinModel, saveBuiltinModel, trainBuiltinModel, type BuiltinModel, type TrainModelOptions } from '../embedders/builtin/model.js';
import { VectorIndex, type VectorDocument } from './vector-index.js';

export interface SemanticState { index: VectorIndex; embedder: Embedder }

export interface SemanticSearcher {
  /** The vectors and the embedder of queries, or null while they are being built (or when there are no papers). */
  ready(): Promise<SemanticState | null>;
  /** Builds (or refreshes) and waits for it: for the CLI, evaluation and tests. */
  current(): Promise<SemanticState | null>;
}

export interface SemanticSearcherOptions {
  logger?: Logger;
  /** An external model (ONNX folder, HTTP endpoint); none: the built-in model trained from the corpus. */
  embedder?: Embedder | null;
  /** Where the built-in model is saved after training and loaded from at start. */
  modelFile?: string;
  /** Retrain the built-in model once the corpus has this many times the papers it learnt from. */
  retrainGrowth?: number;
  training?: TrainModelOptions;
  onProgress?: (phase: 'train' | 'embed', done: number, total: number) => void;
}

/** Papers embedded per call to an embedder (and between yields to the event loop). */
const EMBED_BATCH = 256;

export function createSemanticSearcher(store: Store, opts: SemanticSearcherOptions = {}): SemanticSearcher {
  let state: (SemanticState & { version: ContentVersion }) | null = null;
  let pending: Promise<SemanticState | null> | null = null;
  let retraining = false;
  const growth = opts.retrainGrowth ?? 1.25;

  const embedAll = async (embedder: Embedder, docs: SearchDocument[], index: VectorIndex): Promise<void> => {
    for (let i = 0; i < docs.length; i += EMBED_BATCH) {
      const batch = docs.slice(i, i + EMBED_BATCH);
      const vectors = await embedder.embedDocuments(batch.map((d) => documentText(d.title, d.abstract)));
      index.upsert(batch.map(vectorDocument), vectors);
      opts.onProgress?.('embed', Math.min(i + EMBED_BATCH, docs.length), docs.length);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  const builtinModel = async (docs: SearchDocument[], forceTrain: boolean): Promise<BuiltinModel> => {
    if (!forceTrain && opts.modelFile) {
      const saved = loadBuiltinModel(opts.modelFile);
      if (saved && docs.length < saved.vocabulary.documents * growth) return saved;
    }
    const t0 = performance.now();
    const model = await trainBuiltinModel(docs, {
      ...opts.training,
      onProgress: (done, total) => opts.onProgress?.('train', done, total),
      yieldEvery: () => new Promise((resolve) => setImmediate(resolve)),
    });
    opts.logger?.info('search model trained', { papers: docs.length, learntFrom: model.trainedOn, terms: model.vocabulary.ids.size, ms: Math.round(performance.now() - t0) });
    if (opts.modelFile) saveBuiltinModel(opts.modelFile, model);
    return model;
  };

  const build = async (forceTrain = false): Promise<SemanticState | null> => {
    const version = await store.contentVersion();
    const docs: SearchDocument[] = [];
    for await (const doc of store.searchDocuments()) docs.push(doc);
    if (!docs.length) return null;
    const embedder = opts.embedder ?? (await builtinModel(docs, forceTrain));
    const t0 = performance.now();
    const index = new VectorIndex(embedder.name, embedder.dimensions, docs.length);
    await embedAll(embedder, docs, index);
    opts.logger?.info('vector index built', { papers: index.size, model: embedder.name, ms: Math.round(performance.now() - t0) });
    state = { index, embedder, version };
    return state;
  };

  const refresh = async (): Promise<SemanticState | null> => {
    if (!state) return build();
    const version = await store.contentVersion();
    if (version.maxKey === state.version.maxKey && version.lastModified === state.version.lastModified) return state;
    const changed: SearchDocument[] = [];
    for await (const doc of store.searchDocuments({ modifiedSince: state.version.lastModified ?? undefined })) changed.push(doc);
    await embedAll(state.embedder, changed, state.index);
    state = { ...state, version };
    const model = state.embedder as Partial<BuiltinModel>;
    if (!opts.embedder && model.vocabulary && !retraining && state.index.size >= model.vocabulary.documents * growth) {
      // The corpus has outgrown the model: learn again in the background, then swap.
      retraining = true;
      void build(true).catch((e: unknown) => opts.logger?.warn('could not retrain the search model; keeping the current one', { error: String(e) }))
        .finally(() => { retraining = false; });
    }
    return state;
  };

  const current = (): Promise<SemanticState | null> => {
    pending ??= refresh().finally(() => { pending = null; });
    return pending;
  };

  return {
    current,
    async ready() {
      // Never wait: start (or keep) building or refreshing, and answer with what is ready now.
      void current().catch((e: unknown) => opts.logger?.warn('could not update the vector index; searching with what is ready', { error: String(e) }));
      return state;
    },
  };
}

function vectorDocument(d: SearchDocument): VectorDocument {
  return { key: d.key, id: d.id, day: d.day, categories: d.categories };
}

// Keeps the vector index in step with the store, like the lexical searcher does for words.
// With the built-in embedder, the model is trained from the corpus on first build (or
// loaded from the file of the last training) and retrained in the background once the
// corpus has grown by a quarter; papers that arrive meanwhile are embedded with the
// current model at the next query. A server never waits for a build: until the vectors
// are ready, search answers with words alone. A server builds and retrains in a worker
// thread instead (index-builder.ts) and loads the files it saves.

import type { Logger } from '../../logger.js';
import type { ContentVersion, SearchDocument, Store } from '../../store/store.js';
import { documentText, type Embedder } from '../embedders/embedder.js';
import { isBuiltinModel, loadBuiltinModel, saveBuiltinModel, trainBuiltinModel, type BuiltinModel, type TrainModelOptions } from '../embedders/builtin/model.js';
import { VectorIndex, type VectorDocument } from './vector-index.js';
import { loadVectorIndex, saveVectorIndex } from './vector-file.js';
import { STORE_ID_SECRET } from '../lexical/searcher.js';
import type { IndexBuilder } from '../index-builder.js';

export interface SemanticState { index: VectorIndex; embedder: Embedder }

export interface SemanticSearcher {
  /** The vectors and the embedder of queries, or null while they are being built (or when there are no papers). */
  ready(): Promise<SemanticState | null>;
  /** Builds (or refreshes) and waits for it: for the CLI, evaluation and tests. */
  current(): Promise<SemanticState | null>;
  /** Resolves once a save of the vector index in progress has finished (or failed, which is logged). */
  saved(): Promise<void>;
  /** Whether vectors are there to answer, without starting a build. */
  isReady(): boolean;
}

export interface SemanticSearcherOptions {
  logger?: Logger;
  /** An external model (ONNX folder, HTTP endpoint); none: the built-in model trained from the corpus. */
  embedder?: Embedder | null;
  /** Where the built-in model is saved after training and loaded from at start. */
  modelFile?: string;
  /** Where the vector index is saved after each build and loaded from at start (vector-file.ts). */
  indexFile?: string;
  /** Retrain the built-in model once the corpus has this many times the papers it learnt from. */
  retrainGrowth?: number;
  training?: TrainModelOptions;
  onProgress?: (phase: 'train' | 'embed' | 'graph', done: number, total: number) => void;
  /** Retrain the built-in model at the first build even if a saved one fits (`paperboy index --rebuild`). */
  retrain?: boolean;
  /** Builds (and retrains) elsewhere and saves to modelFile and indexFile, which this searcher then loads. */
  builder?: IndexBuilder;
}

/** Papers embedded per call to an embedder (and between yields to the event loop). */
const EMBED_BATCH = 256;

export function createSemanticSearcher(store: Store, opts: SemanticSearcherOptions = {}): SemanticSearcher {
  let state: (SemanticState & { version: ContentVersion }) | null = null;
  let pending: Promise<SemanticState | null> | null = null;
  let retraining = false;
  let saving: Promise<void> = Promise.resolve();
  const growth = opts.retrainGrowth ?? 1.25;
  const builder = opts.indexFile && opts.modelFile ? opts.builder : undefined;

  const graphProgress = { onProgress: (done: number, total: number) => opts.onProgress?.('graph', done, total), pause: () => new Promise<void>((resolve) => setImmediate(resolve)) };

  /** Embeds papers in batches into the index (and, for an external model, into the store as it goes: a kill loses one batch at most). */
  const embedInto = async (embedder: Embedder, docs: SearchDocument[], index: VectorIndex): Promise<void> => {
    for (let i = 0; i < docs.length; i += EMBED_BATCH) {
      const batch = docs.slice(i, i + EMBED_BATCH);
      const texts = batch.map((d) => documentText(d.title, d.abstract));
      const vectors = await embedder.embedDocuments(texts);
      if (opts.embedder) await store.savePaperVectors(embedder.name, batch.map((d, j) => ({ key: d.key, textHash: textHash(texts[j]!), vector: vectors[j]! })));
      index.upsert(batch.map(vectorDocument), vectors);
      opts.onProgress?.('embed', Math.min(i + EMBED_BATCH, docs.length), docs.length);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  const builtinModel = async (docs: SearchDocument[], forceTrain: boolean): Promise<BuiltinModel> => {
    if (!forceTrain && opts.modelFile) {
      const saved = loadBuiltinModel(opts.modelFile);
      if (saved && docs.length < saved.vocabulary.documents * growth) return saved;
      if (!saved) opts.logger?.info('training the search model (no saved model, or it does not fit)', { file: opts.modelFile });
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

  /**
   * An external model's stored vectors go straight into the index; the papers without one
   * (new, changed, or never embedded) are embedded after the index is published, so
   * search by meaning covers more papers as embedding goes on.
   */
  const buildExternal = async (embedder: Embedder, docs: SearchDocument[], version: ContentVersion): Promise<SemanticState> => {
    const index = new VectorIndex(embedder.name, embedder.dimensions, docs.length, { graphLater: true });
    const missing: SearchDocument[] = [];
    const stored = store.paperVectors(embedder.name)[Symbol.asyncIterator]();
    let next = await stored.next();
    let ready: { docs: VectorDocument[]; vectors: Float32Array[] } = { docs: [], vectors: [] };
    for (const doc of docs) { // both in ascending key order: a merge, never all vectors in memory at once
      while (!next.done && next.value.key < doc.key) next = await stored.next();
      if (!next.done && next.value.key === doc.key && next.value.textHash === textHash(documentText(doc.title, doc.abstract)) && next.value.vector.length === embedder.dimensions) {
        ready.docs.push(vectorDocument(doc));
        ready.vectors.push(next.value.vector);
        if (ready.docs.length === 4096) {
          index.upsert(ready.docs, ready.vectors);
          ready = { docs: [], vectors: [] };
        }
      } else missing.push(doc);
    }
    await stored.return?.(); // frees the database cursor before the store is written
    index.upsert(ready.docs, ready.vectors);
    await index.finishGraph(graphProgress);
    state = { index, embedder, version };
    opts.logger?.info('vector index loaded', { papers: index.size, toEmbed: missing.length, model: embedder.name });
    await embedInto(embedder, missing, index);
    save(state);
    return state;
  };

  /** Saves the index after the event loop has answered what is waiting (a failed save only costs the next start a build). */
  const save = (built: SemanticState & { version: ContentVersion }) => {
    if (!opts.indexFile) return;
    const file = opts.indexFile;
    // Kept, so a command that closes the store afterwards (`paperboy index`) waits for it first.
    saving = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => store.secret(STORE_ID_SECRET))
      .then((storeId) => {
        saveVectorIndex(file, built.index, { storeId, changeSeq: built.version.changeSeq, model: built.embedder.name });
        opts.logger?.debug('vector index saved', { file });
      })
      .catch((e: unknown) => opts.logger?.warn('could not save the vector index; the next start will rebuild it', { file, error: String(e) }));
  };

  /** The saved index, when it was built from this database with the model in use. */
  const load = async (version: ContentVersion): Promise<(SemanticState & { version: ContentVersion }) | null> => {
    if (!opts.indexFile || opts.retrain) return null;
    const embedder = opts.embedder ?? (opts.modelFile ? loadBuiltinModel(opts.modelFile) : null);
    if (!embedder) return null;
    const t0 = performance.now();
    try {
      const loaded = loadVectorIndex(opts.indexFile, { storeId: await store.secret(STORE_ID_SECRET), model: embedder.name, maxChangeSeq: version.changeSeq });
      if (!loaded) {
        opts.logger?.info('the saved vector index does not match this database or model; rebuilding it', { file: opts.indexFile });
        return null;
      }
      opts.logger?.info('vector index loaded', { papers: loaded.index.size, model: embedder.name, ms: Math.round(performance.now() - t0) });
      return { index: loaded.index, embedder, version: { ...version, changeSeq: loaded.origin.changeSeq } };
    } catch (e) {
      opts.logger?.warn('rebuilding the vector index', { error: String(e) });
      return null;
    }
  };

  const build = async (forceTrain = false): Promise<SemanticState | null> => {
    const version = await store.contentVersion();
    const docs: SearchDocument[] = [];
    for await (const doc of store.searchDocuments()) docs.push(doc);
    if (!docs.length) return null;
    if (opts.embedder) return buildExternal(opts.embedder, docs, version);
    const embedder = await builtinModel(docs, forceTrain);
    const t0 = performance.now();
    const index = new VectorIndex(embedder.name, embedder.dimensions, docs.length, { graphLater: true });
    await embedInto(embedder, docs, index);
    await index.finishGraph(graphProgress);
    opts.logger?.info('vector index built', { papers: index.size, model: embedder.name, ms: Math.round(performance.now() - t0) });
    state = { index, embedder, version };
    save(state);
    return state;
  };

  /** Built (or retrained) elsewhere and saved, then loaded; built here if that failed. */
  const buildElsewhere = async (retrain: boolean): Promise<(SemanticState & { version: ContentVersion }) | null> => {
    try {
      await builder!({ part: 'vectors', retrain });
      const loaded = await load(await store.contentVersion());
      if (loaded) return loaded;
      opts.logger?.warn('the vector index built in the background could not be loaded; building it here', { file: opts.indexFile });
    } catch (e) {
      opts.logger?.warn('the vector index could not be built in the background; building it here', { error: String(e) });
    }
    await build(retrain);
    return state;
  };

  const refresh = async (): Promise<SemanticState | null> => {
    // Asked before every query: the version last read, while the store knows of no change since.
    const version = await store.contentVersion({ cached: true });
    if (!state) {
      state = await load(version);
      if (!state) {
        if (!builder) return build(opts.retrain ?? false);
        state = await buildElsewhere(false);
        if (!state) return null;
        return refresh();
      }
    }
    if (version.changeSeq === state.version.changeSeq) return state;
    const changed: SearchDocument[] = [];
    for await (const doc of store.searchDocuments({ changedAfter: state.version.changeSeq })) changed.push(doc);
    await embedInto(state.embedder, changed, state.index);
    state = { ...state, version };
    const model = state.embedder;
    if (!opts.embedder && isBuiltinModel(model) && !retraining && state.index.size >= model.vocabulary.documents * growth) {
      // The corpus has outgrown the model: learn again in the background, then swap.
      retraining = true;
      const retrain = builder
        ? buildElsewhere(true).then((s) => { if (s) state = s; })
        : build(true);
      void retrain.catch((e: unknown) => opts.logger?.warn('could not retrain the search model; keeping the current one', { error: String(e) }))
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
    saved: () => saving,
    isReady: () => state !== null,
    async ready() {
      // Never wait: start (or keep) building or refreshing, and answer with what is ready now.
      void current().catch((e: unknown) => opts.logger?.warn('could not update the vector index; searching with what is ready', { error: String(e) }));
      return state;
    },
  };
}

/** FNV-1a of the embedded text: tells a stored vector whose paper has changed since. */
export function textHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

function vectorDocument(d: SearchDocument): VectorDocument {
  return { key: d.key, id: d.id, day: d.day, categories: d.categories };
}

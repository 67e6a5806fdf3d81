// The peers Paperboy's search is compared with, behind one small interface: MiniSearch
// and Orama, each configured the way their documentation shows a TypeScript user (default
// text processing), on the same three fields with the same boosts as Paperboy's BM25F
// (title 3, authors 1.5, abstract 1). Also SciFact nDCG@10 for a peer, the way
// src/search/eval.ts measures Paperboy.

import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import MiniSearch from 'minisearch';
import { readBeirCorpus, readBeirQueries, readQrels } from '../src/search/beir.js';
import { summarise, type EvalSummary } from '../src/search/metrics.js';

export const PEERS = ['minisearch', 'orama'] as const;
export type PeerName = (typeof PEERS)[number];

export interface PeerDoc { id: string; title: string; authors: string; abstract: string }

export interface PeerIndex {
  addAll(docs: PeerDoc[]): Promise<void>;
  /** Ids of the best `limit` documents. */
  search(text: string, limit: number): Promise<string[]>;
}

const FIELDS = ['title', 'authors', 'abstract'] as const;
const BOOST = { title: 3, authors: 1.5 };

export function createPeer(name: PeerName): PeerIndex {
  return name === 'minisearch' ? miniSearchPeer() : oramaPeer();
}

function miniSearchPeer(): PeerIndex {
  // Defaults otherwise: OR combination, no prefix or fuzzy matching, BM25+ scoring.
  const ms = new MiniSearch<PeerDoc>({ fields: [...FIELDS], idField: 'id', searchOptions: { boost: BOOST } });
  return {
    async addAll(docs) {
      ms.addAll(docs);
    },
    async search(text, limit) {
      return ms.search(text).slice(0, limit).map((r) => String(r.id));
    },
  };
}

function oramaPeer(): PeerIndex {
  // Default tokenizer (English, no stemming, no stop words) and default BM25 relevance;
  // `id` is kept as the document id but not declared in the schema, so it is not indexed.
  const db = create({ schema: { title: 'string', authors: 'string', abstract: 'string' } as const });
  return {
    async addAll(docs) {
      await insertMultiple(db, docs, docs.length);
    },
    async search(text, limit) {
      const r = await oramaSearch(db, { term: text, properties: [...FIELDS], boost: BOOST, limit });
      return r.hits.map((h) => String(h.id));
    },
  };
}

/** nDCG@10 (and recall@100, MRR@10) of a peer on a BEIR folder (corpus.jsonl.gz, queries.jsonl, qrels.tsv). */
export async function peerBeirEval(name: PeerName, dir: string): Promise<EvalSummary & { documents: number }> {
  const qrels = readQrels(`${dir}/qrels.tsv`);
  const queries = readBeirQueries(`${dir}/queries.jsonl`).filter((q) => qrels.has(q.id));
  const peer = createPeer(name);
  const docs: PeerDoc[] = [];
  for await (const d of readBeirCorpus(`${dir}/corpus.jsonl.gz`)) docs.push({ id: d.id, title: d.title, authors: '', abstract: d.text });
  await peer.addAll(docs);
  const runs = new Map<string, string[]>();
  for (const q of queries) runs.set(q.id, await peer.search(q.text, 100));
  return { ...summarise(runs, qrels), documents: docs.length };
}

// Papers like a given one: its nearest neighbours by meaning when vectors are ready, else
// the best matches of its title and abstract as a long query; the paper itself left out.
// The same search answers `similar:ID` in the search box and the API.

import type { Paper } from '../papers/paper.js';
import type { LexicalIndex } from './lexical/lexical-index.js';
import { search, type SearchEngine, type SearchHit } from './search.js';

/**
 * A paper's neighbours change only when the indexes do, and a paper page asks for them
 * on every view: they are remembered per index generation and mode (a bounded, oldest-out cache).
 */
const cache = new WeakMap<LexicalIndex, Map<string, { generation: number; hits: SearchHit[] }>>();
const CACHE_SIZE = 2000;

export async function similarPapers(engine: SearchEngine, paper: Paper, limit = 5): Promise<SearchHit[]> {
  const index = await engine.lexical.index();
  let entries = cache.get(index);
  if (!entries) cache.set(index, (entries = new Map()));
  // Neighbours by words and by meaning differ: the cache tells them apart.
  const vectors = engine.semantic ? await engine.semantic.ready() : null;
  const key = `${paper.id} ${limit} ${vectors?.embedder.name ?? 'words'}`;
  const hit = entries.get(key);
  if (hit && hit.generation === index.generation) return hit.hits;
  const result = await search(engine, `similar:${paper.id}`, { limit, snippets: false });
  entries.delete(key);
  entries.set(key, { generation: index.generation, hits: result.hits });
  if (entries.size > CACHE_SIZE) entries.delete(entries.keys().next().value!);
  return result.hits;
}

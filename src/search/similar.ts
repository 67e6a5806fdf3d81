// Papers like a given one: its title and abstract as a long query (ranked by their
// rarest words), the paper itself left out. Lexical for now; semantic neighbours can
// replace or fuse with this list later.

import type { Paper } from '../papers/paper.js';
import type { LexicalIndex } from './lexical/lexical-index.js';
import { search, type SearchEngine, type SearchHit } from './search.js';

/**
 * A paper's neighbours change only when the index does, and a paper page asks for them
 * on every view: they are remembered per index generation (a bounded, oldest-out cache).
 */
const cache = new WeakMap<LexicalIndex, Map<string, { generation: number; hits: SearchHit[] }>>();
const CACHE_SIZE = 2000;

export async function similarPapers(engine: SearchEngine, paper: Paper, limit = 5): Promise<SearchHit[]> {
  const index = await engine.lexical.index();
  let entries = cache.get(index);
  if (!entries) cache.set(index, (entries = new Map()));
  const key = `${paper.id} ${limit}`;
  const hit = entries.get(key);
  if (hit && hit.generation === index.generation) return hit.hits;

  // Quotes would make phrases and a leading "-" an exclusion: strip the query syntax.
  const text = `${paper.title} ${paper.abstract}`.replace(/["*:()|-]/g, ' ').slice(0, 2000);
  const result = await search(engine, text, { limit: limit + 1, snippets: false });
  const hits = result.hits.filter((h) => h.paper.id !== paper.id).slice(0, limit);
  entries.delete(key);
  entries.set(key, { generation: index.generation, hits });
  if (entries.size > CACHE_SIZE) entries.delete(entries.keys().next().value!);
  return hits;
}

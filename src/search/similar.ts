// Papers like a given one: its title and abstract as a long query (ranked by their
// rarest words), the paper itself left out. Lexical for now; semantic neighbours can
// replace or fuse with this list later.

import type { Paper } from '../papers/paper.js';
import { search, type SearchEngine, type SearchHit } from './search.js';

export async function similarPapers(engine: SearchEngine, paper: Paper, limit = 5): Promise<SearchHit[]> {
  // Quotes would make phrases and a leading "-" an exclusion: strip the query syntax.
  const text = `${paper.title} ${paper.abstract}`.replace(/["*:()|-]/g, ' ').slice(0, 2000);
  const result = await search(engine, text, { limit: limit + 1 });
  return result.hits.filter((h) => h.paper.id !== paper.id).slice(0, limit);
}

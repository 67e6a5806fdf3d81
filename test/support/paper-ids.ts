// Every paper id a store holds, sorted (through the Store interface, whatever the engine).

import type { Store } from '../../src/store/store.js';

export async function paperIds(store: Store): Promise<string[]> {
  const ids: string[] = [];
  for await (const d of store.searchDocuments()) ids.push(d.id);
  return ids.sort();
}

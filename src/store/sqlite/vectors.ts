// Paper vectors of external embedding models on SQLite: float32 blobs keyed by (model, paper).

import type Database from 'better-sqlite3';
import type { StoredVector, VectorStore } from '../vector-store.js';

export function sqliteVectors(db: Database.Database): VectorStore {
  let q: ReturnType<typeof prepare> | null = null;
  // Prepared lazily: the table exists only once migrate() has run.
  const queries = () => (q ??= prepare(db));
  const save = db.transaction((model: string, vectors: StoredVector[]) => {
    for (const v of vectors) queries().save.run(model, v.key, v.textHash, Buffer.from(v.vector.buffer, v.vector.byteOffset, v.vector.byteLength));
  });
  return {
    async *paperVectors(model) {
      for (const row of queries().byModel.iterate(model) as Iterable<{ paper_pk: number; text_hash: number; vector: Buffer }>) {
        // Copied: a Buffer from SQLite need not be aligned for floats.
        const vector = new Float32Array(row.vector.byteLength / 4);
        new Uint8Array(vector.buffer).set(row.vector);
        yield { key: row.paper_pk, textHash: row.text_hash, vector };
      }
    },
    async savePaperVectors(model, vectors) {
      save.immediate(model, vectors);
    },
    async paperVectorModels() {
      return queries().models.all() as { model: string; papers: number }[];
    },
    async dropPaperVectorsExcept(model) {
      return queries().dropOthers.run(model).changes;
    },
  };
}

function prepare(db: Database.Database) {
  return {
    save: db.prepare('INSERT OR REPLACE INTO paper_vectors (model, paper_pk, text_hash, vector) VALUES (?, ?, ?, ?)'),
    byModel: db.prepare('SELECT paper_pk, text_hash, vector FROM paper_vectors WHERE model = ? ORDER BY paper_pk'),
    models: db.prepare('SELECT model, count(*) AS papers FROM paper_vectors GROUP BY model ORDER BY model'),
    dropOthers: db.prepare('DELETE FROM paper_vectors WHERE model <> ?'),
  };
}

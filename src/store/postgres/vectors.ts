// Paper vectors of external embedding models on PostgreSQL: float32 bytes keyed by
// (model, paper), read back in pages by key into the same in-process vector index.

import type { StoredVector, VectorStore } from '../vector-store.js';
import { rows, tx, type Db } from './db.js';

export function pgVectors(db: Db): VectorStore {
  return {
    async *paperVectors(model) {
      let after = -1;
      for (;;) {
        const page = await rows<{ paper_pk: number; text_hash: number; vector: Buffer }>(db,
          'SELECT paper_pk, text_hash, vector FROM paper_vectors WHERE model = $1 AND paper_pk > $2 ORDER BY paper_pk LIMIT 5000', [model, after]);
        if (!page.length) return;
        for (const r of page) {
          // Copied: a Buffer need not be aligned for floats.
          const vector = new Float32Array(r.vector.byteLength / 4);
          new Uint8Array(vector.buffer).set(r.vector);
          yield { key: r.paper_pk, textHash: r.text_hash, vector };
        }
        after = page.at(-1)!.paper_pk;
      }
    },
    async savePaperVectors(model, vectors: StoredVector[]) {
      if (!vectors.length) return;
      await tx(db, async (c) => {
        await c.query(`INSERT INTO paper_vectors (model, paper_pk, text_hash, vector)
          SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::bytea[])
          ON CONFLICT (model, paper_pk) DO UPDATE SET text_hash = excluded.text_hash, vector = excluded.vector`,
        [model, vectors.map((v) => v.key), vectors.map((v) => v.textHash), vectors.map((v) => Buffer.from(v.vector.buffer, v.vector.byteOffset, v.vector.byteLength))]);
      });
    },
    async paperVectorModels() {
      return rows<{ model: string; papers: number }>(db, 'SELECT model, count(*) AS papers FROM paper_vectors GROUP BY model ORDER BY model');
    },
    async dropPaperVectorsExcept(model) {
      return (await db.query('DELETE FROM paper_vectors WHERE model <> $1', [model])).rowCount ?? 0;
    },
  };
}

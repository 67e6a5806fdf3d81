-- Vectors of papers from an external embedding model (an ONNX folder, an HTTP endpoint),
-- kept so that a restart or a rebuilt index never pays for embedding twice. Each vector
-- names its model: vectors of two models are never mixed, and changing the model is an
-- explicit re-embed. text_hash tells when a paper's title or abstract changed since.
-- (The built-in model's vectors cost microseconds to recompute and are not stored.)
CREATE TABLE paper_vectors (
  model TEXT NOT NULL,
  paper_pk INTEGER NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
  text_hash INTEGER NOT NULL,
  vector BLOB NOT NULL,
  PRIMARY KEY (model, paper_pk)
) WITHOUT ROWID;

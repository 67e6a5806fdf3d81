-- What a source says of a paper beyond arXiv's metadata: a one-sentence machine summary,
-- keywords and the project's web page (Hugging Face gives them on newer days). Repository
-- links stay in paper_repos (004), where the GitHub-stars job finds them.
CREATE TABLE paper_extras (
  paper_id     TEXT PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
  ai_summary   TEXT,
  ai_keywords  TEXT,                              -- JSON array of strings, NULL when unknown
  project_page TEXT,                              -- an http(s) URL
  source       TEXT NOT NULL,                     -- hf-daily | ...
  updated_at   TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Leases of scheduled work shared by every process on this database (src/store/lease-store.ts).
CREATE TABLE job_leases (
  name  TEXT PRIMARY KEY,
  owner TEXT NOT NULL,                            -- host:pid:start of the holder
  until TEXT NOT NULL                             -- ISO 8601 UTC; the lease is free after it
) STRICT, WITHOUT ROWID;

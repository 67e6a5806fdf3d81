-- Subscribers of the digest and the outbox that delivers it (see docs/digest.md).
-- Ids use AUTOINCREMENT so an id is never reused: links signed for a removed subscriber
-- can never reach a later one.

CREATE TABLE subscribers (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  email               TEXT NOT NULL UNIQUE,          -- normalised (subscriptions/address.ts)
  status              TEXT NOT NULL CHECK (status IN ('pending', 'active', 'paused', 'unsubscribed', 'bouncing')),
  topics              TEXT NOT NULL DEFAULT '[]',    -- JSON array of search queries
  categories          TEXT NOT NULL DEFAULT '[]',    -- JSON array of arXiv categories
  topic_mode          TEXT NOT NULL DEFAULT 'only' CHECK (topic_mode IN ('only', 'boost')),
  send_hour           INTEGER NOT NULL CHECK (send_hour BETWEEN 0 AND 23),
  time_zone           TEXT NOT NULL,                 -- IANA zone the hour is in
  frequency           TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly')),
  weekday             INTEGER NOT NULL DEFAULT 1 CHECK (weekday BETWEEN 0 AND 6), -- weekly: 0 = Sunday
  consent             TEXT NOT NULL,                 -- how consent was given: double-opt-in, operator-add, operator-import
  confirm_nonce       TEXT,                          -- the open confirmation link's nonce; NULL once used
  confirm_expires_at  TEXT,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  confirmed_at        TEXT,
  unsubscribed_at     TEXT,
  next_due_at         TEXT,                          -- UTC instant of the next digest slot (active only)
  last_digest_date    TEXT,                          -- the subscriber's local date of the last digest planned
  last_sent_at        TEXT,
  bounce_count        INTEGER NOT NULL DEFAULT 0,    -- permanent failures in a row
  notice_day          TEXT,                          -- UTC day of the per-address notice count
  notice_count        INTEGER NOT NULL DEFAULT 0     -- confirmation/notice emails sent that day
) STRICT;

CREATE INDEX subscribers_due ON subscribers (next_due_at) WHERE status = 'active';
CREATE INDEX subscribers_unconfirmed ON subscribers (confirm_expires_at) WHERE status = 'pending';

-- What a group of subscribers with the same topics gets for one window: the ranked
-- candidates with their one-line reason. Shared, so 100k digests do not store 100k lists.
CREATE TABLE digest_editions (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  key          TEXT NOT NULL UNIQUE,
  window_from  TEXT NOT NULL,
  window_to    TEXT NOT NULL,
  items        TEXT NOT NULL,                        -- JSON [{paperId, why}], best first
  created_at   TEXT NOT NULL
) STRICT;

-- One row per (subscriber, digest date), created before anything is sent: the unique
-- key is what makes a second copy for the same day impossible.
CREATE TABLE digest_outbox (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  subscriber_id    INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  digest_date      TEXT NOT NULL,                    -- the subscriber's local date
  status           TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'superseded', 'cancelled')),
  edition_id       INTEGER REFERENCES digest_editions (id),
  paper_ids        TEXT NOT NULL DEFAULT '[]',       -- JSON: the papers this digest holds, in order
  message_id       TEXT NOT NULL,                    -- the same on every attempt
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT NOT NULL,
  lease_owner      TEXT,                             -- host:pid:start of the process sending it
  lease_until      TEXT,
  recovered        INTEGER NOT NULL DEFAULT 0,       -- found 'sending' after its sender died: may have gone out already
  last_error       TEXT,
  smtp_response    TEXT,
  created_at       TEXT NOT NULL,
  sent_at          TEXT,
  UNIQUE (subscriber_id, digest_date)
) STRICT;

CREATE INDEX digest_outbox_ready ON digest_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX digest_outbox_sending ON digest_outbox (lease_until) WHERE status = 'sending';
CREATE INDEX digest_outbox_by_date ON digest_outbox (digest_date, status);

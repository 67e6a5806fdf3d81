-- Who a followed author is (see src/personal/people.ts): papers that are that person's,
-- which tell them apart from others who publish under the same name. A follow without
-- papers matches the name alone. Removing the follow (or the subscriber) removes them.

CREATE TABLE personal_follow_papers (
  subscriber_id  INTEGER NOT NULL,
  kind           TEXT NOT NULL DEFAULT 'follow-author' CHECK (kind = 'follow-author'),
  author         TEXT NOT NULL,                -- the followed name, as in personal_rules.value
  paper_id       TEXT NOT NULL,
  PRIMARY KEY (subscriber_id, author, paper_id),
  FOREIGN KEY (subscriber_id, kind, author) REFERENCES personal_rules (subscriber_id, kind, value) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

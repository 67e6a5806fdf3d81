-- Who a followed author is, as in the SQLite engine's 011_followed_people.sql: papers
-- that are that person's, telling them apart from namesakes; removed with the follow.

CREATE TABLE personal_follow_papers (
  subscriber_id  integer NOT NULL,
  kind           text NOT NULL DEFAULT 'follow-author' CHECK (kind = 'follow-author'),
  author         text NOT NULL,
  paper_id       text NOT NULL,
  PRIMARY KEY (subscriber_id, author, paper_id),
  FOREIGN KEY (subscriber_id, kind, author) REFERENCES personal_rules (subscriber_id, kind, value) ON DELETE CASCADE
);

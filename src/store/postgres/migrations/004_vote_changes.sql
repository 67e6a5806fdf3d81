-- How many times votes changed, by any process: pages shared between visitors are dropped
-- when it moves (src/web/middleware/page-cache.ts). A sequence, so votes never wait on one
-- another's row lock; votes.ts moves it after the vote's commit, so a process that sees it
-- move also sees the vote.
CREATE SEQUENCE vote_changes;

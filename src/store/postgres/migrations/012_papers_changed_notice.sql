-- Searching: every search asks first whether papers changed since the index last looked (the
-- content version), a round trip of its own. A process may instead keep the version it
-- read until it is told of a change: the change sequence's row is updated by every
-- transaction that changes papers (001_schema.sql), and now tells the listening processes
-- at commit (content-version.ts).
CREATE FUNCTION notify_papers_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('paperboy_papers_changed', NEW.value::text);
  RETURN NULL;
END $$;
CREATE TRIGGER papers_changed_notice AFTER UPDATE ON store_sequences
  FOR EACH ROW WHEN (NEW.name = 'papers') EXECUTE FUNCTION notify_papers_changed();

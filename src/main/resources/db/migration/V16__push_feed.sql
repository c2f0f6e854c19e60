-- Push (C7, ADR 0011): grant and catalogue changes join the data changes of a resource in one
-- sequence, so a subscriber replays exactly what it missed, in commit order, from one cursor.

ALTER TABLE data_change DROP CONSTRAINT data_change_op_check;
ALTER TABLE data_change ADD CONSTRAINT data_change_op_check CHECK (op IN ('UPSERT', 'DELETE', 'GRANT', 'CATALOG'));
-- GRANT: record_key is the grant id, department the consumer it concerns; CATALOG: no record_key,
-- version is the catalogue version. detail says what happened (status, items, reason).
ALTER TABLE data_change ALTER COLUMN record_key DROP NOT NULL;
ALTER TABLE data_change ADD COLUMN department text;
ALTER TABLE data_change ADD COLUMN detail jsonb;
-- the retention purge deletes by age
CREATE INDEX data_change_at ON data_change (at);

-- Per resource: every change with seq <= purged_through may be gone. A cursor below it is answered 410.
CREATE TABLE push_watermark (
  resource        text PRIMARY KEY,
  purged_through  bigint NOT NULL,
  purged_at       timestamptz NOT NULL
);

-- The next seq of a resource under its counter row lock (the one ingestion takes), then the change:
-- it commits with the transaction that made it and orders with the records written around it.
CREATE FUNCTION push_change(p_resource text, p_key text, p_op text, p_version integer, p_department text, p_detail jsonb)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  next_seq bigint;
BEGIN
  INSERT INTO data_change_counter AS c (resource, last_seq) VALUES (p_resource, 1)
  ON CONFLICT (resource) DO UPDATE SET last_seq = c.last_seq + 1
  RETURNING last_seq INTO next_seq;
  INSERT INTO data_change (resource, seq, record_key, op, version, at, department, detail)
  VALUES (p_resource, next_seq, p_key, p_op, p_version, now(), p_department, p_detail);
END $$;

-- Grants issued, ended (revoked, expired, ended by retirement or dispute) or narrowed.
CREATE FUNCTION push_grant_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  what text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    what := 'ISSUED';
  ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
    what := NEW.status;
  ELSIF NEW.items IS DISTINCT FROM OLD.items THEN
    what := 'NARROWED';
  ELSE
    RETURN NULL;
  END IF;
  PERFORM push_change(NEW.resource, NEW.id, 'GRANT', 0, NEW.consumer, jsonb_build_object(
    'grant', NEW.id, 'change', what, 'status', NEW.status, 'consumer', NEW.consumer, 'items', to_jsonb(NEW.items),
    'validUntil', NEW.valid_until, 'reason', NEW.end_reason));
  RETURN NULL;
END $$;
CREATE TRIGGER share_grant_push AFTER INSERT OR UPDATE ON share_grant
  FOR EACH ROW EXECUTE FUNCTION push_grant_change();

-- A catalogue entry published, given a new published version, or retired (drafts are nobody's business).
CREATE FUNCTION push_catalog_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'DRAFT' OR (TG_OP = 'UPDATE' AND NEW.status = OLD.status AND NEW.version = OLD.version) THEN
    RETURN NULL;
  END IF;
  PERFORM push_change(NEW.code, NULL, 'CATALOG', NEW.version, NULL, jsonb_build_object(
    'version', NEW.version, 'status', NEW.status,
    'change', CASE WHEN NEW.status = 'RETIRED' THEN 'RETIRED' WHEN TG_OP = 'INSERT' OR OLD.status = 'DRAFT' THEN 'PUBLISHED'
                   ELSE 'NEW_VERSION' END));
  RETURN NULL;
END $$;
CREATE TRIGGER catalog_resource_push AFTER INSERT OR UPDATE ON catalog_resource
  FOR EACH ROW EXECUTE FUNCTION push_catalog_change();

-- The live signal: one notification per resource and statement, sent when the transaction commits
-- (to every instance listening on this database, clustered or not). Payload: resource, tab, max seq.
CREATE FUNCTION push_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT resource, max(seq) AS seq FROM new_changes GROUP BY resource LOOP
    PERFORM pg_notify('govshare_push', r.resource || chr(9) || r.seq);
  END LOOP;
  RETURN NULL;
END $$;
CREATE TRIGGER data_change_notify AFTER INSERT ON data_change
  REFERENCING NEW TABLE AS new_changes FOR EACH STATEMENT EXECUTE FUNCTION push_notify();

-- Cross-checks (C8, notice rule 2, 多元校核): the values of one data element in every published copy
-- compared by key with its authoritative source. Progress is written after each chunk, so a run
-- over millions of records shows how far it got while it runs.

CREATE TABLE crosscheck (
  seq              bigserial UNIQUE,
  id               text PRIMARY KEY,
  element          text NOT NULL,
  source           text NOT NULL,                 -- catalogue code of the authoritative resource
  source_item      text NOT NULL,
  source_provider  text NOT NULL REFERENCES department(code),
  status           text NOT NULL DEFAULT 'RUNNING' CHECK (status IN ('RUNNING','DONE','FAILED')),
  started_by       text NOT NULL,
  started_at       timestamptz NOT NULL,
  -- renewed after each chunk; a RUNNING check whose instance stopped is found by its age
  heartbeat_at     timestamptz NOT NULL,
  finished_at      timestamptz,
  failure          text
);
-- one run per element at a time: two would do the same work
CREATE UNIQUE INDEX crosscheck_one_running ON crosscheck (element) WHERE status = 'RUNNING';
CREATE INDEX crosscheck_provider ON crosscheck (source_provider, seq);

CREATE TABLE crosscheck_copy (
  crosscheck     text NOT NULL REFERENCES crosscheck(id),
  resource       text NOT NULL,
  item           text NOT NULL,
  provider       text NOT NULL,
  position       integer NOT NULL,
  status         text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','RUNNING','DONE','SKIPPED','FAILED')),
  skipped        text,                            -- why a copy could not be compared
  scanned        bigint NOT NULL DEFAULT 0,       -- copy records read
  compared       bigint NOT NULL DEFAULT 0,       -- of those, records the source has too
  mismatches     bigint NOT NULL DEFAULT 0,
  samples        jsonb NOT NULL DEFAULT '[]',     -- {key, item, sourceValue, copyValue}; the key masked when the copy's key item is sensitive
  last_key       text,                            -- where the next chunk starts
  PRIMARY KEY (crosscheck, resource)
);

-- The data plane: records of HOSTED resources, keyed by the resource's key item, and the change
-- log the push feature streams. The hot read is a primary-key lookup on (resource, record_key).

CREATE TABLE data_record (
  resource    text        NOT NULL,
  record_key  text        NOT NULL,
  version     integer     NOT NULL,          -- 1 on insert, +1 on each update of this record
  seq         bigint      NOT NULL,          -- the change (data_change.seq) that wrote this version
  data        jsonb       NOT NULL,          -- item key -> canonical value, NOT_SHARED items included
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (resource, record_key)
) WITH (fillfactor = 90);                    -- room for HOT updates of re-ingested rows

-- One row per resource: locked by each writing transaction, so sequence numbers of one resource
-- are handed out in commit order and concurrent uploads never interleave out of order.
CREATE TABLE data_change_counter (
  resource  text   PRIMARY KEY,
  last_seq  bigint NOT NULL
);

CREATE TABLE data_change (
  resource    text        NOT NULL,
  seq         bigint      NOT NULL,
  record_key  text        NOT NULL,
  op          text        NOT NULL CHECK (op IN ('UPSERT', 'DELETE')),
  version     integer     NOT NULL,
  at          timestamptz NOT NULL,
  PRIMARY KEY (resource, seq)
);

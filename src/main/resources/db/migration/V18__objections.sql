-- Objections (C8, notice rule 7): a consumer holds an item of a record to be wrong; the provider
-- answers CORRECTED (the value is applied as an update of the record) or CONFIRMED. While one is
-- OPEN the data plane lists the item in underVerification. Resources are named by catalogue code.

CREATE TABLE objection (
  seq                  bigserial UNIQUE,
  id                   text PRIMARY KEY,
  resource             text NOT NULL,
  record_key           text NOT NULL,              -- canonical key, as data_record.record_key
  item                 text NOT NULL,
  consumer             text NOT NULL REFERENCES department(code),
  provider             text NOT NULL REFERENCES department(code),
  proposed_value       jsonb,                      -- what the filer holds to be right, if it said
  evidence             text NOT NULL,
  crosscheck           text,                       -- the cross-check it was filed from, if any
  status               text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','CORRECTED','CONFIRMED')),
  filed_by             text NOT NULL,
  filed_at             timestamptz NOT NULL,
  answer_due           timestamptz NOT NULL,
  -- set once by whichever instance's clock job claims the overdue objection first
  overdue_notified_at  timestamptz,
  answered_at          timestamptz,
  answered_by          text,
  answer_note          text,
  corrected_value      jsonb,
  record_version       integer,                    -- the record's version the correction wrote
  record_seq           bigint,                     -- its change-log sequence number
  answer_working_days  integer
);
-- one open objection per item of a record: a second would race the first answer
CREATE UNIQUE INDEX objection_one_open ON objection (resource, record_key, item) WHERE status = 'OPEN';
CREATE INDEX objection_consumer ON objection (consumer, seq);
CREATE INDEX objection_provider ON objection (provider, seq);
CREATE INDEX objection_overdue_watch ON objection (answer_due) WHERE status = 'OPEN' AND overdue_notified_at IS NULL;

CREATE TABLE objection_event (
  seq          bigserial PRIMARY KEY,
  objection    text NOT NULL REFERENCES objection(id),
  at           timestamptz NOT NULL,
  event        text NOT NULL,
  client_id    text,
  department   text,
  detail       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX objection_event_objection ON objection_event (objection, seq);

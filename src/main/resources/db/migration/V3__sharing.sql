-- Conditional sharing (C4): the working-day calendar the bureau sets, applications with their
-- history, grants, disputes and each department's inbox. Resources are named by their catalogue
-- code only: the catalogue is read through CatalogDirectory, never joined.

-- Years the bureau set over the API; they override the shipped conf/calendar files. Every
-- instance polls change_seq so a PUT reaches the whole cluster.
CREATE SEQUENCE calendar_change_seq;
CREATE TABLE calendar_year (
  year        integer PRIMARY KEY CHECK (year BETWEEN 1900 AND 2200),
  holidays    date[] NOT NULL,
  workdays    date[] NOT NULL,
  source      text,
  set_by      text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  change_seq  bigint NOT NULL DEFAULT nextval('calendar_change_seq')
);

CREATE TABLE application (
  seq                  bigserial UNIQUE,
  id                   text PRIMARY KEY,
  resource             text NOT NULL,
  resource_version     integer NOT NULL,
  consumer             text NOT NULL REFERENCES department(code),
  provider             text NOT NULL REFERENCES department(code),
  items                text[] NOT NULL,
  purpose              text NOT NULL,
  usage                text NOT NULL CHECK (usage IN ('ADMINISTRATIVE_BASIS','WORK_REFERENCE','DATA_VERIFICATION','BUSINESS_COLLABORATION')),
  valid_until          date,
  status               text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','APPROVED','REJECTED','WITHDRAWN')),
  submitted_by         text NOT NULL,
  submitted_at         timestamptz NOT NULL,
  decision_due         timestamptz NOT NULL,
  -- set once by whichever instance's clock job claims the overdue application first
  overdue_notified_at  timestamptz,
  closed_at            timestamptz,
  decided_by           text,
  decision_reason      text,
  decision_items       text[],
  decision_conditions  text,
  decision_valid_until date,
  decision_working_days integer
);
CREATE INDEX application_consumer ON application (consumer, seq);
CREATE INDEX application_provider ON application (provider, seq);
CREATE INDEX application_resource ON application (resource, seq);
CREATE INDEX application_overdue_watch ON application (decision_due) WHERE status = 'PENDING' AND overdue_notified_at IS NULL;
-- one open application per department and resource: a second would race the first decision
CREATE UNIQUE INDEX application_one_pending ON application (consumer, resource) WHERE status = 'PENDING';

CREATE TABLE application_event (
  seq          bigserial PRIMARY KEY,
  application  text NOT NULL REFERENCES application(id),
  at           timestamptz NOT NULL,
  event        text NOT NULL,
  client_id    text,
  department   text,
  detail       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX application_event_application ON application_event (application, seq);

CREATE SEQUENCE grant_change_seq;
CREATE TABLE share_grant (
  seq          bigserial UNIQUE,
  id           text PRIMARY KEY,
  application  text NOT NULL REFERENCES application(id),
  dispute      text,
  resource     text NOT NULL,
  consumer     text NOT NULL REFERENCES department(code),
  provider     text NOT NULL REFERENCES department(code),
  items        text[] NOT NULL,
  usage        text NOT NULL,
  purpose      text NOT NULL,
  conditions   text,
  valid_until  date,
  status       text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','REVOKED','EXPIRED','ENDED')),
  issued_at    timestamptz NOT NULL,
  ended_at     timestamptz,
  end_reason   text,
  ended_by     text,
  -- every instance polls for grants whose change_seq grew and drops its cached answers for them
  change_seq   bigint NOT NULL DEFAULT nextval('grant_change_seq')
);
CREATE INDEX share_grant_lookup ON share_grant (consumer, resource) WHERE status = 'ACTIVE';
CREATE INDEX share_grant_consumer ON share_grant (consumer, seq);
CREATE INDEX share_grant_provider ON share_grant (provider, seq);
CREATE INDEX share_grant_resource ON share_grant (resource) WHERE status = 'ACTIVE';
CREATE INDEX share_grant_change ON share_grant (change_seq);

CREATE TABLE dispute (
  seq          bigserial UNIQUE,
  id           text PRIMARY KEY,
  application  text NOT NULL REFERENCES application(id),
  resource     text NOT NULL,
  consumer     text NOT NULL REFERENCES department(code),
  provider     text NOT NULL REFERENCES department(code),
  statement    text NOT NULL,
  status       text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','UPHELD','OVERTURNED','REFERRED')),
  opened_by    text NOT NULL,
  opened_at    timestamptz NOT NULL,
  resolution_note text,
  resolved_by  text,
  resolved_at  timestamptz,
  grant_id     text
);
CREATE UNIQUE INDEX dispute_one_open ON dispute (application) WHERE status = 'OPEN';
CREATE INDEX dispute_consumer ON dispute (consumer, seq);
CREATE INDEX dispute_provider ON dispute (provider, seq);

CREATE TABLE notification (
  id          bigserial PRIMARY KEY,
  department  text NOT NULL REFERENCES department(code),
  kind        text NOT NULL,
  subject     text,
  message     text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  read_at     timestamptz,
  read_by     text
);
CREATE INDEX notification_inbox ON notification (department, id);
CREATE INDEX notification_unread ON notification (department, id) WHERE read_at IS NULL;

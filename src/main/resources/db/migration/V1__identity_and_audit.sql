-- Identity: departments, their API clients, and the token signing key shared by every instance.

CREATE TABLE department (
  code         text PRIMARY KEY,
  name         text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('BUREAU','DEPARTMENT','TOWNSHIP','SUBDISTRICT','INDUSTRIAL_ZONE')),
  credit_code  text UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE client_change_seq;

CREATE TABLE api_client (
  client_id          text PRIMARY KEY,
  department         text NOT NULL REFERENCES department(code),
  name               text NOT NULL,
  roles              text[] NOT NULL,
  secret_hash        text NOT NULL,
  credential_version integer NOT NULL DEFAULT 1,
  status             text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','REVOKED')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  -- every instance polls for rows whose change_seq grew, so revocation reaches the whole cluster
  change_seq         bigint NOT NULL DEFAULT nextval('client_change_seq'),
  CHECK (NOT ('PLATFORM_ADMIN' = ANY(roles) AND 'AUDITOR' = ANY(roles)))
);
CREATE INDEX api_client_department ON api_client (department, client_id);
CREATE INDEX api_client_change ON api_client (change_seq);

CREATE TABLE signing_key (
  id          text PRIMARY KEY,
  algorithm   text NOT NULL,
  secret      bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Audit: an append-only, hash-chained log. audit_head holds the tip of the chain; writers take
-- its row lock, so records from every instance form one total order.

CREATE TABLE audit_log (
  seq         bigint PRIMARY KEY,
  at          timestamptz NOT NULL,
  request_id  text,
  client_id   text,
  department  text,
  action      text NOT NULL,
  resource    text,
  subject     text,
  outcome     text NOT NULL,
  detail      text NOT NULL,
  prev_hash   text NOT NULL,
  hash        text NOT NULL
);
CREATE INDEX audit_log_department ON audit_log (department, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_resource ON audit_log (resource, seq);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE audit_head (
  id        integer PRIMARY KEY CHECK (id = 1),
  last_seq  bigint NOT NULL,
  last_hash text NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

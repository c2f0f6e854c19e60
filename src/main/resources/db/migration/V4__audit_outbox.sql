-- The transactional outbox of the audit log: a state change inserts its audit record here in its
-- own transaction, so the change and its record commit (or vanish) together. The chainer moves
-- rows into audit_log under the audit_head lock, giving them their seq and hash in order.

CREATE TABLE audit_outbox (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL,
  request_id  text,
  client_id   text,
  department  text,
  action      text NOT NULL,
  resource    text,
  subject     text,
  outcome     text NOT NULL,
  detail      text NOT NULL
);

-- "what happened to department GA": the bureau's actions on GA carry GA or one of its clients as subject
CREATE INDEX audit_log_subject ON audit_log (subject, seq);

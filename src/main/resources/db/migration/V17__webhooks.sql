-- Webhook subscriptions (ADR 0012). One row per subscription holds everything its delivery needs
-- to survive a restart or a change of owner: the last acknowledged change (last_delivered_seq),
-- the retry state, and the lease of the one instance that delivers it.
CREATE TABLE webhook_subscription (
  id                  text        PRIMARY KEY,
  ord                 bigserial   NOT NULL UNIQUE,    -- creation order, the list's cursor
  department          text        NOT NULL,
  client_id           text        NOT NULL,          -- the client that made it; deliveries are scoped as its department's CONSUMER
  resource            text        NOT NULL,
  callback_url        text        NOT NULL,
  secret_salt         bytea       NOT NULL,          -- the secret is derived from the key below and this salt; never stored
  status              text        NOT NULL CHECK (status IN ('ACTIVE', 'PAUSED', 'ENDED', 'DELETED')),
  last_delivered_seq  bigint      NOT NULL,
  failures            integer     NOT NULL DEFAULT 0, -- consecutive failed attempts since the last acknowledged batch
  first_failure_at    timestamptz,                    -- start of the current run of failures (give-up clock)
  last_error          text,
  next_attempt_at     timestamptz NOT NULL,
  last_delivered_at   timestamptz,
  created_at          timestamptz NOT NULL,
  ended_at            timestamptz,
  end_reason          text,
  owner               text,                           -- node id of the instance delivering it
  lease_until         timestamptz NOT NULL DEFAULT 'epoch'
);
CREATE INDEX webhook_subscription_department ON webhook_subscription (department, ord DESC);
-- what each instance's sweep claims: live subscriptions whose lease lapsed or is its own
CREATE INDEX webhook_subscription_live ON webhook_subscription (lease_until) WHERE status = 'ACTIVE';

-- The key webhook secrets are derived from: generated once by the first instance, shared by all
-- (they share this database), as the token signing key is.
CREATE TABLE webhook_key (
  id          text        PRIMARY KEY,
  secret      bytea       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

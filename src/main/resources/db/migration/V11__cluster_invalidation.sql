-- Exact invalidation across clustered instances (ADR 0007). Each instance renews its heartbeat
-- here; it answers from its caches only while that lease is fresh. A writer records what changed,
-- then asks every instance with a fresh heartbeat to drop it; an instance that missed the message
-- finds the change at its next heartbeat.
CREATE TABLE cluster_node (
  node_id   text PRIMARY KEY,
  polled_at timestamptz NOT NULL
);

CREATE TABLE cluster_change (
  seq  bigserial PRIMARY KEY,
  at   timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL,
  keys text[] NOT NULL
);
CREATE INDEX cluster_change_at ON cluster_change (at);

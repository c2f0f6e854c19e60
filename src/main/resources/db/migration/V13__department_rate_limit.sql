-- Rate limits of each department's data calls (API.md "Data plane"), set by the bureau. A department
-- without a row gets the configured default (data.rate-limit.*). The buckets themselves live in
-- memory (Hazelcast when clustered, ADR 0010); this table is the limit's point of truth. Instances
-- drop their cached limit when told (clustered) and poll change_seq as the safety net.
CREATE SEQUENCE rate_limit_change_seq;
CREATE TABLE department_rate_limit (
  department          text PRIMARY KEY REFERENCES department(code),
  requests_per_second integer NOT NULL CHECK (requests_per_second BETWEEN 1 AND 1000000),
  burst               integer NOT NULL CHECK (burst BETWEEN 1 AND 10000000),
  set_by              text NOT NULL,
  set_at              timestamptz NOT NULL,
  change_seq          bigint NOT NULL DEFAULT nextval('rate_limit_change_seq')
);
CREATE INDEX department_rate_limit_change ON department_rate_limit (change_seq);

-- Catalogue (C3): resources, their versions, the data items that claim a data element, filings
-- with the bureau, and the counters that hand out codes. See docs/adr/0003-catalogue-codes-and-search.md.

-- The three category digits of a classification code: one number per provider department, for good.
CREATE SEQUENCE catalog_department_number_seq MAXVALUE 999;
CREATE TABLE catalog_department_number (
  department  text PRIMARY KEY REFERENCES department(code),
  number      integer NOT NULL UNIQUE DEFAULT nextval('catalog_department_number_seq')
);

-- The last sequence number handed out per classification; the row lock serialises concurrent
-- creations, and numbers of retired resources stay taken because rows are never deleted.
CREATE TABLE catalog_sequence (
  classification  text PRIMARY KEY,
  last_value      integer NOT NULL
);

CREATE TABLE catalog_resource (
  code            text PRIMARY KEY,
  classification  text NOT NULL,
  provider        text NOT NULL REFERENCES department(code),
  category        text NOT NULL CHECK (category IN ('BASE','THEMATIC','DEPARTMENTAL')),
  subject         text,
  share_type      text NOT NULL CHECK (share_type IN ('UNCONDITIONAL','CONDITIONAL','NOT_SHARED')),
  update_period   text NOT NULL,
  status          text NOT NULL CHECK (status IN ('DRAFT','PUBLISHED','RETIRED')),
  version         integer NOT NULL,
  entry           jsonb NOT NULL,
  -- name, summary and item names, lower-cased: what free-text search matches against
  search_text     text NOT NULL,
  -- every character and every pair of adjacent characters of search_text (see SearchTerms)
  search_grams    text[] NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
-- the catalogue is read far more than written: no pending list for every search to scan
CREATE INDEX catalog_resource_grams ON catalog_resource USING gin (search_grams) WITH (fastupdate = off);
-- A search visits a heap row per candidate to recheck search_text. Moving the large entry and
-- grams out of line keeps rows near 1 kB, so the table a search touches stays in memory.
ALTER TABLE catalog_resource SET (toast_tuple_target = 1024);
ALTER TABLE catalog_resource ALTER COLUMN search_text SET STORAGE MAIN;
-- results come in code order; a filter with its own (filter, code) index reads matches in that order
-- instead of walking codes past long runs of non-matching ones (every BASE entry is UNCONDITIONAL)
CREATE INDEX catalog_resource_provider ON catalog_resource (provider, code);
CREATE INDEX catalog_resource_status ON catalog_resource (status, code);
CREATE INDEX catalog_resource_category ON catalog_resource (category, code);
CREATE INDEX catalog_resource_subject ON catalog_resource (subject, code);
CREATE INDEX catalog_resource_share_type ON catalog_resource (share_type, code);
CREATE INDEX catalog_resource_update_period ON catalog_resource (update_period, code);

CREATE TABLE catalog_version (
  code        text NOT NULL REFERENCES catalog_resource(code),
  version     integer NOT NULL,
  status      text NOT NULL,
  entry       jsonb NOT NULL,
  -- what changed against the previous version, item by item; null for the first
  changes     jsonb,
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (code, version)
);

-- Data items of current, not retired versions that name a data element. The partial unique index
-- is what makes "one datum, one source" hold when two departments declare at the same moment.
CREATE TABLE catalog_item_element (
  code           text NOT NULL REFERENCES catalog_resource(code),
  item_key       text NOT NULL,
  element        text NOT NULL,
  authoritative  boolean NOT NULL,
  PRIMARY KEY (code, item_key)
);
CREATE UNIQUE INDEX catalog_one_source ON catalog_item_element (element) WHERE authoritative;

CREATE TABLE catalog_filing (
  id          bigserial PRIMARY KEY,
  code        text NOT NULL REFERENCES catalog_resource(code),
  version     integer NOT NULL,
  provider    text NOT NULL,
  filed_by    text,
  filed_at    timestamptz NOT NULL DEFAULT now(),
  changes     jsonb,
  UNIQUE (code, version)
);
CREATE INDEX catalog_filing_provider ON catalog_filing (provider, id);

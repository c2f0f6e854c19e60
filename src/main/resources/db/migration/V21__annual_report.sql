-- Annual reports (C9, notice rule 10): one per department and year, never replaced. The statistics
-- are the snapshot taken at submission, kept as submitted: a later recomputation does not change
-- what the department reported.
CREATE TABLE annual_report (
  department    text        NOT NULL REFERENCES department(code),
  year          integer     NOT NULL CHECK (year BETWEEN 2000 AND 2200),
  narrative     text        NOT NULL,
  submitted_at  timestamptz NOT NULL,
  submitted_by  text        NOT NULL,
  late          boolean     NOT NULL,
  statistics    jsonb       NOT NULL,
  PRIMARY KEY (department, year)
);
CREATE INDEX annual_report_year ON annual_report (year, department);

-- Supervision (C9) counts a year of the audit log per department, per resource and bureau-wide.
-- Without these, each count walks every record of a department or resource since the start.
-- data calls a department made in a year (statistics "use")
CREATE INDEX audit_log_department_action_at ON audit_log (department, action, at);
-- calls served on a department's resources and the updates that keep them fresh ("provision")
CREATE INDEX audit_log_resource_action_at ON audit_log (resource, action, at);
-- bureau-wide: calls per day, objections filed, answered and overdue in a year
CREATE INDEX audit_log_action_at ON audit_log (action, at);

-- Each instance reads the entries changed in the last seconds to drop them from its grant-check
-- cache (GrantCheck); without this index that poll scans the whole catalogue every second.
CREATE INDEX catalog_resource_updated_at ON catalog_resource (updated_at);

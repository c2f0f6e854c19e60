-- clearItems (API.md "Data plane"): the sensitive items of a grant that its consumer reads unmasked.
-- The provider chooses them in its decision; they are a subset of the decided items, so the
-- application keeps them beside decision_items and the grant beside items.
ALTER TABLE application ADD COLUMN decision_clear_items text[];
ALTER TABLE share_grant ADD COLUMN clear_items text[] NOT NULL DEFAULT '{}';

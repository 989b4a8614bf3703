-- Issue 4 (list budget at 1M clients). A seller's list sorted by name is one ordered walk of the (owner, name) index
-- per visible owner. With a tag filter each walk had to fetch the table row of every candidate to test its tags and
-- deleted_at (~580 rows for 51 hits when 9 % of rows carry the tag). The index now carries both, so the walk tests
-- them on the index entries and touches the table only for the page it returns. Same index names on both engines.
DROP INDEX companies_owner_name_idx;
CREATE INDEX companies_owner_name_idx ON companies (workspace_id, owner_user_id, name, id, deleted_at, tags);
DROP INDEX contacts_owner_name_idx;
CREATE INDEX contacts_owner_name_idx ON contacts (workspace_id, owner_user_id, full_name, id, deleted_at, tags);
-- The planner needs statistics for the rebuilt indexes: without them (the old ones' rows went with the old indexes)
-- SQLite takes an index it knows nothing about for the wrong lists (a newest-first page took 1.6 s at 1M rows).
-- Empty tables get no rows, so a new database stays without statistics until there is data.
ANALYZE companies;
ANALYZE contacts;

-- Issue 4 (list budget at 1M clients). A seller's list sorted by name walks the (owner, name) index per visible
-- owner; the index now also carries deleted_at and the tags (INCLUDE: stored, not ordered), so a tag-filtered walk
-- tests candidates on the index entries (an index-only scan once the visibility map is set) instead of fetching each
-- table row. Same index names as on SQLite.
DROP INDEX companies_owner_name_idx;
CREATE INDEX companies_owner_name_idx ON companies (workspace_id, owner_user_id, name, id) INCLUDE (deleted_at, tags);
DROP INDEX contacts_owner_name_idx;
CREATE INDEX contacts_owner_name_idx ON contacts (workspace_id, owner_user_id, full_name, id) INCLUDE (deleted_at, tags);

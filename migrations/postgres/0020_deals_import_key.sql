-- Issue 6. A deal import's natural key: a file's own id of a deal (amoCRM's «ID», Bitrix24's «ID сделки», any
-- column the mapping names external_id). Importing the same file again finds the deal by it and updates or skips
-- it instead of creating it twice. Only keyed rows enter the index, so deals without one cost it nothing.
ALTER TABLE deals ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX deals_external_idx ON deals (workspace_id, external_id) WHERE external_id IS NOT NULL;

-- The kanban's first page per column walks a stage's live deals newest first. PostgreSQL does not take
-- "deleted_at IS NULL" in the middle of (workspace_id, stage_id, deleted_at, id) as fixing the order of id, so it
-- scanned the primary key backwards instead — the whole workspace for an empty column. A partial index on the live
-- deals gives it the order (SQLite's planner already used the old index that way).
DROP INDEX deals_stage_idx;
CREATE INDEX deals_stage_live_idx ON deals (workspace_id, stage_id, id) WHERE deleted_at IS NULL;

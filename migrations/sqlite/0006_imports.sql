-- Imports (PLAT-3): saved column mappings (including the built-in ones for Bitrix24 and amoCRM exports), import
-- runs with their progress and checkpoint, and the rejected rows behind each run's error report.

CREATE TABLE import_mappings (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    -- 'company', 'contact' or 'lead'.
    entity TEXT NOT NULL,
    name TEXT NOT NULL,
    -- 1 for the ready mappings Otdel ships (read-only), 0 for the workspace's own.
    builtin INTEGER NOT NULL DEFAULT 0,
    -- JSON: {"columns": {"<header>": "<target field>", ...}, "options": {...}}.
    definition TEXT NOT NULL,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX import_mappings_name_uq ON import_mappings (workspace_id, entity, name);

CREATE TABLE imports (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    file_name TEXT NOT NULL,
    -- Where the uploaded file is kept while the import runs (under the data directory).
    stored_path TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    -- 'csv' or 'xlsx'; for CSV the detected or chosen encoding ('utf-8', 'cp1251') and delimiter.
    format TEXT NOT NULL,
    encoding TEXT NOT NULL DEFAULT '',
    delimiter TEXT NOT NULL DEFAULT '',
    mapping TEXT NOT NULL DEFAULT '{}',
    mapping_id INTEGER,
    dry_run INTEGER NOT NULL DEFAULT 0,
    -- 'uploaded', 'queued', 'running', 'done', 'failed', 'cancelled'.
    status TEXT NOT NULL DEFAULT 'uploaded',
    total_rows INTEGER,
    -- Rows handled so far: the checkpoint a resumed run starts after (committed with each batch).
    processed_rows INTEGER NOT NULL DEFAULT 0,
    created_rows INTEGER NOT NULL DEFAULT 0,
    merged_rows INTEGER NOT NULL DEFAULT 0,
    rejected_rows INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE INDEX imports_created_idx ON imports (workspace_id, id);

CREATE TABLE import_rejects (
    workspace_id INTEGER NOT NULL,
    import_id INTEGER NOT NULL,
    row_no INTEGER NOT NULL,
    -- JSON array of {"field", "code", "message"} in the importer's language.
    reasons TEXT NOT NULL,
    -- The row as read, JSON array of strings.
    raw TEXT NOT NULL,
    PRIMARY KEY (workspace_id, import_id, row_no),
    FOREIGN KEY (workspace_id, import_id) REFERENCES imports (workspace_id, id)
);

-- Work calendars (ORG-5): the workspace calendar and its department/employee overrides, the dated exceptions
-- (holidays, transferred working days, shortened days) and which built-in production-calendar years a workspace
-- has loaded. Days are 'YYYY-MM-DD' text and hours 'HH:MM-HH:MM,...' text in local time, as in 0002.

CREATE TABLE work_calendars (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    -- 'workspace' (scope_id 0), 'department' (a department id) or 'employee' (a user id). One column pair for the
    -- three so a person's layers come back in one indexed query; the service checks that the id exists.
    scope TEXT NOT NULL,
    scope_id INTEGER NOT NULL,
    time_zone TEXT,
    -- 1: the seven day columns replace the inherited week (an empty column is a day off); 0: inherit the week.
    week_set INTEGER NOT NULL DEFAULT 0,
    mon TEXT NOT NULL DEFAULT '',
    tue TEXT NOT NULL DEFAULT '',
    wed TEXT NOT NULL DEFAULT '',
    thu TEXT NOT NULL DEFAULT '',
    fri TEXT NOT NULL DEFAULT '',
    sat TEXT NOT NULL DEFAULT '',
    sun TEXT NOT NULL DEFAULT '',
    -- 'inherit' the workspace's days, or 'none' (24/7 staff who work through public holidays).
    holidays TEXT NOT NULL DEFAULT 'inherit',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX work_calendars_scope_uq ON work_calendars (workspace_id, scope, scope_id);

CREATE TABLE calendar_days (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    hours TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    -- 'builtin' (loaded from the production calendar compiled into the binary) or 'manual'.
    source TEXT NOT NULL DEFAULT 'manual',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX calendar_days_day_uq ON calendar_days (workspace_id, day);

CREATE TABLE calendar_years (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    official INTEGER NOT NULL,
    source TEXT NOT NULL,
    loaded_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX calendar_years_year_uq ON calendar_years (workspace_id, year);

-- Reports (REP-7): scheduled e-mail delivery of a report. Each schedule is the report as its owner sees it (their
-- visibility), with the filters saved as JSON, sent at a local hour daily, weekly or monthly to a list of addresses.
-- The next send is a durable job ("reports.deliver", deduplicated by the schedule id) on the scheduler.

CREATE TABLE report_schedules (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    owner_user_id INTEGER NOT NULL,
    -- 'funnel', 'activity', 'win_loss', 'forecast', 'plan_fact'.
    report TEXT NOT NULL,
    -- The report's filters as the API takes them: {"from": "2026-03-01", "pipeline_id": 4, ...}; a period named
    -- relatively ("period": "month" / "week" / "quarter") is resolved at each send.
    filters TEXT NOT NULL DEFAULT '{}',
    -- JSON array of e-mail addresses.
    recipients TEXT NOT NULL DEFAULT '[]',
    -- 'daily', 'weekly', 'monthly'; weekday 1 (Monday) … 7; day of month 1 … 28; local hour 0 … 23.
    every TEXT NOT NULL,
    weekday INTEGER NOT NULL DEFAULT 1,
    month_day INTEGER NOT NULL DEFAULT 1,
    hour INTEGER NOT NULL DEFAULT 8,
    lang TEXT NOT NULL DEFAULT 'ru',
    next_run_at INTEGER NOT NULL,
    last_sent_at INTEGER,
    last_error TEXT NOT NULL DEFAULT '',
    sent_count INTEGER NOT NULL DEFAULT 0,
    deleted_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, owner_user_id) REFERENCES users (workspace_id, id)
);
CREATE INDEX report_schedules_owner_idx ON report_schedules (workspace_id, owner_user_id, id);

-- The reports' period reads of activities for everyone (the head's and the analyst's reports, whose visibility names
-- no owner, so the owner-first index does not serve them). Deals by creation and close day: 0018's indexes.
CREATE INDEX activities_at_idx ON activities (workspace_id, at);

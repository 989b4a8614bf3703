-- Deals (DEAL-1, DEAL-2, DEAL-9, DEAL-10): pipelines with ordered stages (win probability, kind, gate, idle
-- threshold), the workspace's loss reasons, deals and every stage move they made (the funnel's raw facts).

CREATE TABLE pipelines (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    -- The pipeline new deals (the hand-off, the API without pipeline_id) go to; one per workspace.
    is_default INTEGER NOT NULL DEFAULT 0,
    archived_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE INDEX pipelines_ws_idx ON pipelines (workspace_id, position, id);

CREATE TABLE pipeline_stages (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    pipeline_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    -- Win probability in percent, 0..100 (the weighted pipeline of REP-3).
    probability INTEGER NOT NULL DEFAULT 0,
    -- 'open', 'won', 'lost'.
    kind TEXT NOT NULL DEFAULT 'open',
    -- The gate (DEAL-2): JSON array of field codes a deal needs to enter the stage ("amount", "contact",
    -- "company.inn", "custom.<code>"…) and JSON array of checklist items {"code", "label"} that must be ticked.
    required_fields TEXT NOT NULL DEFAULT '[]',
    checklist TEXT NOT NULL DEFAULT '[]',
    -- DEAL-10: a deal with no activity for this many days in the stage is idle; NULL = never.
    idle_days INTEGER,
    -- DEAL-6: entering this stage starts the 72-hour payment window.
    is_decision INTEGER NOT NULL DEFAULT 0,
    archived_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, pipeline_id) REFERENCES pipelines (workspace_id, id)
);
CREATE INDEX pipeline_stages_pipeline_idx ON pipeline_stages (workspace_id, pipeline_id, position, id);

CREATE TABLE loss_reasons (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    archived_at INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);

CREATE TABLE deals (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    pipeline_id INTEGER NOT NULL,
    stage_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    company_id INTEGER,
    contact_id INTEGER,
    owner_user_id INTEGER,
    -- Integer minor units (kopecks) and ISO 4217 currency.
    amount_minor INTEGER NOT NULL DEFAULT 0,
    currency TEXT NOT NULL DEFAULT 'RUB',
    -- YYYY-MM-DD in the workspace's calendar.
    expected_close_date TEXT,
    source_lead_id INTEGER,
    -- 'pipeline', 'best_case', 'commit'.
    forecast_category TEXT NOT NULL DEFAULT 'pipeline',
    -- 'open', 'won', 'lost': the kind of the stage it stands in.
    status TEXT NOT NULL DEFAULT 'open',
    loss_reason_id INTEGER,
    loss_comment TEXT NOT NULL DEFAULT '',
    -- JSON object of ticked checklist item codes: {"code": true}.
    checklist TEXT NOT NULL DEFAULT '{}',
    custom TEXT NOT NULL DEFAULT '{}',
    -- Case-folded title, company and contact names: what the list's text filter matches.
    search_text TEXT NOT NULL DEFAULT '',
    stage_entered_at INTEGER NOT NULL,
    last_activity_at INTEGER NOT NULL,
    closed_at INTEGER,
    -- DEAL-6: entering the decision stage starts a 72-hour payment window; past it unpaid, the deal is flagged.
    payment_due_at INTEGER,
    payment_overdue INTEGER NOT NULL DEFAULT 0,
    deleted_at INTEGER,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, pipeline_id) REFERENCES pipelines (workspace_id, id),
    FOREIGN KEY (workspace_id, stage_id) REFERENCES pipeline_stages (workspace_id, id),
    FOREIGN KEY (workspace_id, owner_user_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, company_id) REFERENCES companies (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, source_lead_id) REFERENCES leads (workspace_id, id),
    FOREIGN KEY (workspace_id, loss_reason_id) REFERENCES loss_reasons (workspace_id, id)
);
-- A kanban column: the open deals of one stage, newest first.
CREATE INDEX deals_stage_idx ON deals (workspace_id, stage_id, deleted_at, id);
CREATE INDEX deals_owner_idx ON deals (workspace_id, owner_user_id, status, id);
CREATE INDEX deals_company_idx ON deals (workspace_id, company_id);
CREATE INDEX deals_contact_idx ON deals (workspace_id, contact_id);
CREATE INDEX deals_lead_idx ON deals (workspace_id, source_lead_id);

-- The board's totals kept exact with every change: live deals and their sum per stage, owner and currency, so a
-- kanban of 200,000 deals sums a few rows (the visibility predicate applies to owner_user_id as on deals; 0 = nobody).
CREATE TABLE deal_totals (
    workspace_id INTEGER NOT NULL,
    pipeline_id INTEGER NOT NULL,
    stage_id INTEGER NOT NULL,
    owner_user_id INTEGER NOT NULL,
    currency TEXT NOT NULL,
    deals INTEGER NOT NULL DEFAULT 0,
    amount_minor INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, pipeline_id, stage_id, owner_user_id, currency)
);

-- Every stage a deal entered, with who moved it: the funnel's conversion and time-in-stage facts (REP-1).
CREATE TABLE deal_stage_history (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    deal_id INTEGER NOT NULL,
    from_stage_id INTEGER,
    to_stage_id INTEGER NOT NULL,
    by_user_id INTEGER,
    at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id)
);
CREATE INDEX deal_stage_history_deal_idx ON deal_stage_history (workspace_id, deal_id, at, id);

-- The hand-off (LEAD-6) creates the designer's deal: which deal a booked meeting led to.
ALTER TABLE handoff_meetings ADD COLUMN deal_id INTEGER;

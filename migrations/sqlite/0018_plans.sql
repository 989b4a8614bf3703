-- Sales plans (PLAN-2) and SMART goals (PLAN-1). A plan is a target for one metric (revenue, deals won, new clients,
-- calls, meetings, payments received), one subject (a department — a team is a department node of the tree — or a
-- person) and one month, quarter or year (local days, inclusive). A person's plan split from a department plan names
-- it (parent_plan_id) with the weight it got. Facts are never stored: they are measured from the records (KPI catalog).

CREATE TABLE sales_plans (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    -- 'month', 'quarter', 'year'.
    period_kind TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    -- Exactly one of the two: a department plan, or a person's (owner_user_id, so ORG-6 applies as to any record).
    department_id INTEGER,
    owner_user_id INTEGER,
    -- 'revenue', 'deals_won', 'new_clients', 'calls', 'meetings', 'payments_received'.
    metric TEXT NOT NULL,
    -- Minor units of `currency` for money metrics, a count otherwise.
    target INTEGER NOT NULL,
    currency TEXT NOT NULL DEFAULT 'RUB',
    parent_plan_id INTEGER,
    split_weight INTEGER,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    CHECK (target >= 0),
    CHECK (last_day >= first_day),
    CHECK ((department_id IS NULL) <> (owner_user_id IS NULL)),
    FOREIGN KEY (workspace_id, department_id) REFERENCES departments (workspace_id, id),
    FOREIGN KEY (workspace_id, owner_user_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, parent_plan_id) REFERENCES sales_plans (workspace_id, id)
);
-- One plan per subject, metric and period.
CREATE UNIQUE INDEX sales_plans_subject_uq
    ON sales_plans (workspace_id, first_day, metric, COALESCE(department_id, 0), COALESCE(owner_user_id, 0));
CREATE INDEX sales_plans_period_idx ON sales_plans (workspace_id, first_day, last_day, id);
CREATE INDEX sales_plans_parent_idx ON sales_plans (workspace_id, parent_plan_id);

-- A SMART goal: a KPI of the catalog, a target in its unit, an owner, a start and a deadline. Progress is measured
-- over the owner's records (or the department's subtree when department_id is set), never typed.
CREATE TABLE goals (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    -- The KPI's wire name (calls_per_day, revenue, sla_breach_rate…).
    kpi TEXT NOT NULL,
    target INTEGER NOT NULL,
    currency TEXT NOT NULL DEFAULT 'RUB',
    owner_user_id INTEGER NOT NULL,
    department_id INTEGER,
    starts_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    deleted_at INTEGER,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    CHECK (target >= 0),
    CHECK (deadline >= starts_on),
    FOREIGN KEY (workspace_id, owner_user_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, department_id) REFERENCES departments (workspace_id, id)
);
CREATE INDEX goals_owner_idx ON goals (workspace_id, owner_user_id, deadline, id);
CREATE INDEX goals_deadline_idx ON goals (workspace_id, deadline, id) WHERE deleted_at IS NULL;

-- Plan vs fact and the KPI catalog read a period's won/lost deals by their close instant and its payments by day.
CREATE INDEX deals_closed_idx ON deals (workspace_id, closed_at, status) WHERE closed_at IS NOT NULL;
CREATE INDEX deals_created_idx ON deals (workspace_id, created_at);
CREATE INDEX payments_paid_on_idx ON payments (workspace_id, paid_on);

-- Sellers and the lead desk read their own plans and goals (PLAN-2) in existing workspaces too (new ones get it from
-- the role catalog).
UPDATE roles SET permissions = json_set(permissions, '$.plan', json('["read"]'))
WHERE system = 1 AND code IN ('key_account_manager', 'account_manager', 'channel_manager',
    'business_development_manager', 'strategic_sales_manager', 'solution_sales_manager',
    'transactional_sales_manager', 'sales_manager', 'automotive_consultant', 'retail_consultant',
    'designer_manager', 'ecommerce_manager', 'outbound_seller', 'inbound_seller', 'lead_manager')
  AND json_extract(permissions, '$.plan') IS NULL;

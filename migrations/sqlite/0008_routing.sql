-- Lead routing (LEAD-4 … LEAD-7): ordered rules with a pool and a strategy, the per-rule counters that make
-- round-robin and weighted routing fair across restarts, the SLA clock of every routed lead and the facts of
-- every assignment (who had the lead when, how fast they answered, whether the SLA broke), and the meetings
-- booked by the two-tier hand-off.

CREATE TABLE routing_rules (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    -- 1-based order inside the workspace: the first matching active rule takes the lead.
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    -- JSON: {"channels": [...], "form_ids": [...], "regions": [...], "products": [...], "client_type": "new",
    -- "min_priority": 50, "max_priority": 100, "custom": {"code": "value"}}.
    conditions TEXT NOT NULL DEFAULT '{}',
    department_id INTEGER,
    include_subdepartments INTEGER NOT NULL DEFAULT 1,
    -- 'round_robin', 'least_loaded', 'weighted'.
    strategy TEXT NOT NULL,
    sla_minutes INTEGER NOT NULL,
    assign_off_shift INTEGER NOT NULL DEFAULT 0,
    max_open_per_person INTEGER,
    escalate_after INTEGER NOT NULL DEFAULT 2,
    head_user_id INTEGER,
    -- Round-robin cursor: who got the rule's previous lead.
    last_user_id INTEGER,
    deleted_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, department_id) REFERENCES departments (workspace_id, id),
    FOREIGN KEY (workspace_id, head_user_id) REFERENCES users (workspace_id, id)
);
CREATE INDEX routing_rules_order_idx ON routing_rules (workspace_id, position);

-- An explicit pool (in list order) and the weights of the weighted strategy.
CREATE TABLE routing_rule_members (
    workspace_id INTEGER NOT NULL,
    rule_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    weight INTEGER NOT NULL DEFAULT 1,
    position INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, rule_id, user_id),
    FOREIGN KEY (workspace_id, rule_id) REFERENCES routing_rules (workspace_id, id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
);

-- How many leads each rule has given each person (the weighted strategy's memory).
CREATE TABLE routing_counters (
    workspace_id INTEGER NOT NULL,
    rule_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    assigned INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, rule_id, user_id)
);

-- Which lead statuses count as the first response (besides logged calls, e-mails and messages).
CREATE TABLE routing_settings (
    workspace_id INTEGER PRIMARY KEY REFERENCES workspaces (id),
    response_statuses TEXT NOT NULL DEFAULT '["in_work","qualified"]',
    updated_at INTEGER NOT NULL
);

-- The SLA clock of a routed lead. state: 'running' (waiting for the first response until deadline_at),
-- 'responded', 'queued' (nobody eligible: waits in the rule's queue), 'escalated' (given to the head after
-- too many breaches), 'cancelled' (moved by hand, converted, closed or deleted).
CREATE TABLE lead_routing (
    workspace_id INTEGER NOT NULL,
    lead_id INTEGER NOT NULL,
    rule_id INTEGER,
    state TEXT NOT NULL,
    assignment_id INTEGER,
    deadline_at INTEGER,
    sla_minutes INTEGER NOT NULL DEFAULT 0,
    reassignments INTEGER NOT NULL DEFAULT 0,
    breaches INTEGER NOT NULL DEFAULT 0,
    first_assigned_at INTEGER,
    first_response_at INTEGER,
    first_response_kind TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, lead_id),
    FOREIGN KEY (workspace_id, lead_id) REFERENCES leads (workspace_id, id)
);
CREATE INDEX lead_routing_state_idx ON lead_routing (workspace_id, state, deadline_at);

-- Facts: one row per time a lead was given to someone (or queued), for the reports room.
CREATE TABLE lead_assignments (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL,
    -- NULL while the lead waits in the queue.
    user_id INTEGER,
    rule_id INTEGER,
    -- 'routed', 'reassigned' (SLA breach), 'escalated', 'manual', 'queued', 'from_queue'.
    reason TEXT NOT NULL,
    -- The decision: rule, strategy, who was skipped and why (JSON).
    explanation TEXT NOT NULL DEFAULT '{}',
    assigned_at INTEGER NOT NULL,
    deadline_at INTEGER,
    responded_at INTEGER,
    -- Working milliseconds from assignment to the first response, in the assignee's calendar.
    response_working_ms INTEGER,
    breached_at INTEGER,
    ended_at INTEGER,
    -- 'responded', 'breached', 'moved', 'closed', 'escalated', 'routed' (a queued lead found someone).
    end_reason TEXT,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, lead_id) REFERENCES leads (workspace_id, id)
);
CREATE INDEX lead_assignments_lead_idx ON lead_assignments (workspace_id, lead_id, id);
CREATE INDEX lead_assignments_user_idx ON lead_assignments (workspace_id, user_id, assigned_at);

-- Meetings booked by the two-tier hand-off (LEAD-6): the lead manager books a designer-manager's free slot.
CREATE TABLE handoff_meetings (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL,
    -- The lead manager who booked it and the designer-manager / measurer who takes the client over.
    booked_by_user_id INTEGER NOT NULL,
    host_user_id INTEGER NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    -- 'booked', 'cancelled'.
    status TEXT NOT NULL DEFAULT 'booked',
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, lead_id) REFERENCES leads (workspace_id, id),
    FOREIGN KEY (workspace_id, booked_by_user_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, host_user_id) REFERENCES users (workspace_id, id)
);
CREATE INDEX handoff_meetings_host_idx ON handoff_meetings (workspace_id, host_user_id, starts_at);
CREATE INDEX handoff_meetings_lead_idx ON handoff_meetings (workspace_id, lead_id);

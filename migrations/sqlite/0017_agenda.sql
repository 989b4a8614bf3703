-- Agenda (ACT-2, ACT-3, ACT-4): the workspace's review checklist, reviews of recorded calls and meetings with their
-- marks and comments at a moment of the recording, secret calendar feed URLs, and the meeting reminders sent (so a
-- reminder job that runs twice tells nobody twice). The daily plan itself stores nothing: it is read from
-- activities, deals, routing's SLA clocks and billing's invoices.

-- The review checklist: what a call or meeting is scored on, with a weight (1..100). Archived criteria stay for the
-- reviews that used them; a review copies the label and weight it was scored with.
CREATE TABLE review_criteria (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    label_ru TEXT NOT NULL,
    label_en TEXT NOT NULL,
    weight INTEGER NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    archived_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    CHECK (weight >= 1 AND weight <= 100)
);
CREATE UNIQUE INDEX review_criteria_code_uq ON review_criteria (workspace_id, code);

-- A head's review of one recorded call or meeting of a seller. score_bp: the weighted score in basis points
-- (0..10000, 10000 = every criterion fully met); NULL when every criterion was marked "not applicable".
CREATE TABLE reviews (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL,
    -- 'call' or 'meeting' (copied from the activity).
    activity_kind TEXT NOT NULL,
    -- The activity's time: what per-period scores (the KPI room) are counted by.
    activity_at INTEGER NOT NULL,
    reviewed_user_id INTEGER NOT NULL,
    reviewer_user_id INTEGER NOT NULL,
    score_bp INTEGER,
    summary TEXT NOT NULL DEFAULT '',
    deleted_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    CHECK (score_bp IS NULL OR (score_bp >= 0 AND score_bp <= 10000)),
    FOREIGN KEY (workspace_id, activity_id) REFERENCES activities (workspace_id, id),
    FOREIGN KEY (workspace_id, reviewed_user_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, reviewer_user_id) REFERENCES users (workspace_id, id)
);
-- One live review per reviewer and activity.
CREATE UNIQUE INDEX reviews_activity_reviewer_uq ON reviews (workspace_id, activity_id, reviewer_user_id)
    WHERE deleted_at IS NULL;
-- "My reviews", a person's scores in a period (the KPI room).
CREATE INDEX reviews_reviewed_idx ON reviews (workspace_id, reviewed_user_id, activity_at, id);
CREATE INDEX reviews_activity_idx ON reviews (workspace_id, activity_id);

-- The marks of a review: 0 = not done, 1 = partly, 2 = done, NULL = not applicable; label and weight as scored.
CREATE TABLE review_marks (
    workspace_id INTEGER NOT NULL,
    review_id INTEGER NOT NULL,
    criterion_id INTEGER NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    code TEXT NOT NULL,
    label_ru TEXT NOT NULL,
    label_en TEXT NOT NULL,
    weight INTEGER NOT NULL,
    mark INTEGER,
    PRIMARY KEY (workspace_id, review_id, criterion_id),
    CHECK (mark IS NULL OR (mark >= 0 AND mark <= 2)),
    FOREIGN KEY (workspace_id, review_id) REFERENCES reviews (workspace_id, id),
    FOREIGN KEY (workspace_id, criterion_id) REFERENCES review_criteria (workspace_id, id)
);

-- Comments at a moment of the recording (seconds from its start; NULL: about the whole call or meeting).
CREATE TABLE review_comments (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL,
    at_second INTEGER,
    body TEXT NOT NULL,
    author_user_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    CHECK (at_second IS NULL OR at_second >= 0),
    FOREIGN KEY (workspace_id, review_id) REFERENCES reviews (workspace_id, id),
    FOREIGN KEY (workspace_id, author_user_id) REFERENCES users (workspace_id, id)
);
CREATE INDEX review_comments_review_idx ON review_comments (workspace_id, review_id, at_second, id);

-- Secret iCalendar feed URLs: a person's own meetings and tasks ('user') or their team's ('team'). Only the SHA-256
-- of the token is kept (like sessions); revoked rows stay for the audit trail.
CREATE TABLE calendar_feeds (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    scope TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    -- The first characters of the token, so a person can tell their URLs apart.
    token_hint TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER,
    UNIQUE (workspace_id, id),
    CHECK (scope IN ('user', 'team')),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
);
CREATE UNIQUE INDEX calendar_feeds_token_uq ON calendar_feeds (token_hash);
CREATE INDEX calendar_feeds_user_idx ON calendar_feeds (workspace_id, user_id, id);

-- Meeting reminders sent: one per (meeting, person, start time), so a moved meeting is reminded again at its new time
-- and a job run twice tells nobody twice.
CREATE TABLE meeting_reminders (
    workspace_id INTEGER NOT NULL,
    activity_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    starts_at INTEGER NOT NULL,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, activity_id, user_id, starts_at)
);

-- The reminder sweep: meetings by start time across workspaces (the activities room's indexes are per person).
CREATE INDEX activities_meeting_start_idx ON activities (at) WHERE kind = 'meeting' AND deleted_at IS NULL;

-- Review rights for the catalog's roles in existing workspaces (new ones get them from the catalog): leaders review,
-- sellers and the lead desk read their own reviews, the supervisor reviews the shift, the analyst reads.
UPDATE roles SET permissions = json_set(permissions, '$.review', json('["create","read","update","delete","export","assign"]'))
WHERE system = 1 AND code IN ('sales_leader', 'head_of_sales') AND json_extract(permissions, '$.review') IS NULL;
UPDATE roles SET permissions = json_set(permissions, '$.review', json('["create","read","update"]'))
WHERE system = 1 AND code = 'supervisor' AND json_extract(permissions, '$.review') IS NULL;
UPDATE roles SET permissions = json_set(permissions, '$.review', json('["read","export"]'))
WHERE system = 1 AND code = 'sales_analyst' AND json_extract(permissions, '$.review') IS NULL;
UPDATE roles SET permissions = json_set(permissions, '$.review', json('["read"]'))
WHERE system = 1 AND code IN ('key_account_manager', 'account_manager', 'channel_manager',
    'business_development_manager', 'strategic_sales_manager', 'solution_sales_manager',
    'transactional_sales_manager', 'sales_manager', 'automotive_consultant', 'retail_consultant',
    'designer_manager', 'ecommerce_manager', 'outbound_seller', 'inbound_seller', 'lead_manager')
  AND json_extract(permissions, '$.review') IS NULL;

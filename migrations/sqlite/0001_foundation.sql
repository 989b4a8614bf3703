-- Foundation: workspaces, users, sessions, API tokens, audit log, outbox, notifications, durable jobs.
-- Conventions (both engines): ids are 64-bit integers, instants are UTC Unix milliseconds, flags are 0/1 integers,
-- JSON is stored as text (jsonb on PostgreSQL). Every tenant table carries workspace_id.

CREATE TABLE workspaces (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    default_locale TEXT NOT NULL DEFAULT 'ru',
    time_zone TEXT NOT NULL DEFAULT 'Europe/Moscow',
    currency TEXT NOT NULL DEFAULT 'RUB',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX workspaces_slug_uq ON workspaces (slug);

CREATE TABLE users (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    full_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'ru',
    is_admin INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'active',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_login_at INTEGER,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX users_email_uq ON users (email);

CREATE TABLE sessions (
    id TEXT NOT NULL PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    revoked_at INTEGER,
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
);
CREATE INDEX sessions_user_idx ON sessions (workspace_id, user_id);

CREATE TABLE api_tokens (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    prefix TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    expires_at INTEGER,
    revoked_at INTEGER,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
);
CREATE UNIQUE INDEX api_tokens_hash_uq ON api_tokens (token_hash);
CREATE INDEX api_tokens_user_idx ON api_tokens (workspace_id, user_id, id);

CREATE TABLE audit_log (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_user_id INTEGER,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id INTEGER,
    before_json TEXT,
    after_json TEXT,
    request_id TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_object_idx ON audit_log (workspace_id, object_type, object_id, id);
CREATE INDEX audit_log_at_idx ON audit_log (workspace_id, at);

CREATE TABLE outbox (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    topic TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    published_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_pending_idx ON outbox (published_at, id);

CREATE TABLE notifications (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    params TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    read_at INTEGER,
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
);
CREATE INDEX notifications_user_idx ON notifications (workspace_id, user_id, id);

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    run_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 10,
    locked_until INTEGER,
    last_error TEXT,
    dedupe_key TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX jobs_due_idx ON jobs (status, run_at);
-- One pending job per dedupe key; a running twin does not absorb a re-armed timer.
CREATE UNIQUE INDEX jobs_dedupe_uq ON jobs (workspace_id, kind, dedupe_key)
    WHERE dedupe_key IS NOT NULL AND status = 'pending';

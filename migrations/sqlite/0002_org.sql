-- Organisation: departments (a tree with a materialised path), the role catalog, employees, absences, handovers.
-- Calendar days (hired_on, starts_on, ends_on) are 'YYYY-MM-DD' text on both engines: they compare correctly as
-- strings, bind the same way through SOCI and mean a day in the workspace time zone, not an instant.

CREATE TABLE departments (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    parent_id INTEGER,
    name TEXT NOT NULL,
    -- Ids from the root down, e.g. '/1/4/9/': a subtree is one indexed `path LIKE '/1/4/%'` (ids are digits, so
    -- SQLite's case-insensitive LIKE is harmless; on PostgreSQL the index uses text_pattern_ops).
    path TEXT NOT NULL,
    division_principle TEXT NOT NULL DEFAULT 'none',
    division TEXT NOT NULL,
    head_user_id INTEGER,
    archived_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, parent_id) REFERENCES departments (workspace_id, id),
    FOREIGN KEY (workspace_id, head_user_id) REFERENCES users (workspace_id, id)
);
CREATE INDEX departments_path_idx ON departments (workspace_id, path);
CREATE INDEX departments_parent_idx ON departments (workspace_id, parent_id);

CREATE TABLE roles (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    level TEXT,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    duties_ru TEXT NOT NULL DEFAULT '',
    duties_en TEXT NOT NULL DEFAULT '',
    kpis TEXT NOT NULL,
    permissions TEXT NOT NULL,
    scope TEXT NOT NULL DEFAULT 'own',
    system INTEGER NOT NULL DEFAULT 0,
    retired_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX roles_code_uq ON roles (workspace_id, code);

CREATE TABLE employees (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    role_id INTEGER NOT NULL,
    department_id INTEGER NOT NULL,
    manager_user_id INTEGER,
    status TEXT NOT NULL DEFAULT 'active',
    position_title TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    hired_on TEXT,
    dismissed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, role_id) REFERENCES roles (workspace_id, id),
    FOREIGN KEY (workspace_id, department_id) REFERENCES departments (workspace_id, id),
    FOREIGN KEY (workspace_id, manager_user_id) REFERENCES users (workspace_id, id)
);
CREATE UNIQUE INDEX employees_user_uq ON employees (workspace_id, user_id);
CREATE INDEX employees_department_idx ON employees (workspace_id, department_id);
CREATE INDEX employees_manager_idx ON employees (workspace_id, manager_user_id);
CREATE INDEX employees_role_idx ON employees (workspace_id, role_id);

CREATE TABLE absences (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    substitute_user_id INTEGER,
    note TEXT NOT NULL DEFAULT '',
    cancelled_at INTEGER,
    created_by_user_id INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, substitute_user_id) REFERENCES users (workspace_id, id)
);
CREATE INDEX absences_user_idx ON absences (workspace_id, user_id, starts_on);
CREATE INDEX absences_substitute_idx ON absences (workspace_id, substitute_user_id, starts_on);
CREATE INDEX absences_ends_idx ON absences (workspace_id, ends_on);

-- One row per dismissal: where the person's open records went, and how many of each kind.
CREATE TABLE employee_handovers (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    from_user_id INTEGER NOT NULL,
    target TEXT NOT NULL,
    to_user_id INTEGER,
    moved TEXT NOT NULL,
    created_by_user_id INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, from_user_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, to_user_id) REFERENCES users (workspace_id, id)
);
CREATE INDEX employee_handovers_from_idx ON employee_handovers (workspace_id, from_user_id);

-- What routing reads for every lead and what changes rarely (rules and their pools, people, departments, role
-- codes, work calendars, calendar days, absences, the workspace's time zone) is cached per workspace in the process
-- (src/routing/routing_cache.*). These triggers give each workspace a token that changes in the same transaction as
-- any of those rows, whoever writes them: the API, the seed, an import, a test's own SQL, another process. The
-- cache keeps what it read under the token it read with; a lead whose transaction reads another token reads afresh.
-- A token is random, not a counter, so a rolled-back change cannot hand its token to a later, different one.
-- routing_rules.last_user_id (the round-robin cursor, written for every routed lead) is left out on purpose; so are
-- users' sign-in columns. The trigger bodies use no conflict clause (an outer INSERT OR IGNORE would override it).

CREATE TABLE routing_input_tokens (
    workspace_id INTEGER PRIMARY KEY,
    token INTEGER NOT NULL
);

CREATE TRIGGER routing_rules_rit_ai AFTER INSERT ON routing_rules BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER routing_rules_rit_au AFTER UPDATE OF
    workspace_id, id, position, name, active, conditions, department_id,
    include_subdepartments, strategy, sla_minutes, assign_off_shift, max_open_per_person,
    escalate_after, head_user_id, deleted_at
    ON routing_rules BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER routing_rules_rit_ad AFTER DELETE ON routing_rules BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT OLD.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = OLD.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = OLD.workspace_id;
END;

CREATE TRIGGER routing_rule_members_rit_ai AFTER INSERT ON routing_rule_members BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER routing_rule_members_rit_au AFTER UPDATE ON routing_rule_members BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER routing_rule_members_rit_ad AFTER DELETE ON routing_rule_members BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT OLD.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = OLD.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = OLD.workspace_id;
END;

CREATE TRIGGER users_rit_ai AFTER INSERT ON users BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER users_rit_au AFTER UPDATE OF
    workspace_id, id, full_name, status
    ON users BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER users_rit_ad AFTER DELETE ON users BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT OLD.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = OLD.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = OLD.workspace_id;
END;

CREATE TRIGGER employees_rit_ai AFTER INSERT ON employees BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER employees_rit_au AFTER UPDATE ON employees BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER employees_rit_ad AFTER DELETE ON employees BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT OLD.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = OLD.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = OLD.workspace_id;
END;

CREATE TRIGGER roles_rit_ai AFTER INSERT ON roles BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER roles_rit_au AFTER UPDATE OF
    workspace_id, id, code
    ON roles BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER roles_rit_ad AFTER DELETE ON roles BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT OLD.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = OLD.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = OLD.workspace_id;
END;

CREATE TRIGGER departments_rit_ai AFTER INSERT ON departments BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER departments_rit_au AFTER UPDATE ON departments BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER departments_rit_ad AFTER DELETE ON departments BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT OLD.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = OLD.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = OLD.workspace_id;
END;

CREATE TRIGGER work_calendars_rit_ai AFTER INSERT ON work_calendars BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER work_calendars_rit_au AFTER UPDATE ON work_calendars BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER work_calendars_rit_ad AFTER DELETE ON work_calendars BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT OLD.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = OLD.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = OLD.workspace_id;
END;

CREATE TRIGGER calendar_days_rit_ai AFTER INSERT ON calendar_days BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER calendar_days_rit_au AFTER UPDATE ON calendar_days BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER calendar_days_rit_ad AFTER DELETE ON calendar_days BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT OLD.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = OLD.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = OLD.workspace_id;
END;

CREATE TRIGGER absences_rit_ai AFTER INSERT ON absences BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER absences_rit_au AFTER UPDATE ON absences BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.workspace_id;
END;

CREATE TRIGGER absences_rit_ad AFTER DELETE ON absences BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT OLD.workspace_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = OLD.workspace_id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = OLD.workspace_id;
END;

CREATE TRIGGER workspaces_rit_au AFTER UPDATE OF time_zone ON workspaces BEGIN
    INSERT INTO routing_input_tokens (workspace_id, token) SELECT NEW.id, 0
        WHERE NOT EXISTS (SELECT 1 FROM routing_input_tokens t WHERE t.workspace_id = NEW.id);
    UPDATE routing_input_tokens SET token = random() WHERE workspace_id = NEW.id;
END;

-- What routing reads for every lead and what changes rarely (rules and their pools, people, departments, role
-- codes, work calendars, calendar days, absences, the workspace's time zone) is cached per workspace in the process
-- (src/routing/routing_cache.*). These triggers give each workspace a token that changes in the same transaction as
-- any of those rows, whoever writes them: the API, the seed, an import, a test's own SQL, another process. The
-- cache keeps what it read under the token it read with; a lead whose transaction reads another token reads afresh.
-- A token comes from a sequence, which a rollback does not rewind, so a rolled-back change cannot hand its token to
-- a later, different one. routing_rules.last_user_id (the round-robin cursor, written for every routed lead) is
-- left out on purpose; so are users' sign-in columns.

CREATE TABLE routing_input_tokens (
    workspace_id BIGINT PRIMARY KEY,
    token BIGINT NOT NULL
);
CREATE SEQUENCE routing_input_token_seq;

CREATE FUNCTION routing_input_touch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ws BIGINT;
BEGIN
    IF TG_TABLE_NAME = 'workspaces' THEN
        ws := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        ws := OLD.workspace_id;
    ELSE
        ws := NEW.workspace_id;
    END IF;
    INSERT INTO routing_input_tokens (workspace_id, token) VALUES (ws, nextval('routing_input_token_seq'))
        ON CONFLICT (workspace_id) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END;
$$;

CREATE TRIGGER routing_rules_rit AFTER INSERT OR DELETE OR UPDATE OF
    workspace_id, id, position, name, active, conditions, department_id,
    include_subdepartments, strategy, sla_minutes, assign_off_shift, max_open_per_person,
    escalate_after, head_user_id, deleted_at
    ON routing_rules
    FOR EACH ROW EXECUTE FUNCTION routing_input_touch();
CREATE TRIGGER routing_rule_members_rit AFTER INSERT OR DELETE OR UPDATE ON routing_rule_members
    FOR EACH ROW EXECUTE FUNCTION routing_input_touch();
CREATE TRIGGER users_rit AFTER INSERT OR DELETE OR UPDATE OF
    workspace_id, id, full_name, status
    ON users
    FOR EACH ROW EXECUTE FUNCTION routing_input_touch();
CREATE TRIGGER employees_rit AFTER INSERT OR DELETE OR UPDATE ON employees
    FOR EACH ROW EXECUTE FUNCTION routing_input_touch();
CREATE TRIGGER roles_rit AFTER INSERT OR DELETE OR UPDATE OF
    workspace_id, id, code
    ON roles
    FOR EACH ROW EXECUTE FUNCTION routing_input_touch();
CREATE TRIGGER departments_rit AFTER INSERT OR DELETE OR UPDATE ON departments
    FOR EACH ROW EXECUTE FUNCTION routing_input_touch();
CREATE TRIGGER work_calendars_rit AFTER INSERT OR DELETE OR UPDATE ON work_calendars
    FOR EACH ROW EXECUTE FUNCTION routing_input_touch();
CREATE TRIGGER calendar_days_rit AFTER INSERT OR DELETE OR UPDATE ON calendar_days
    FOR EACH ROW EXECUTE FUNCTION routing_input_touch();
CREATE TRIGGER absences_rit AFTER INSERT OR DELETE OR UPDATE ON absences
    FOR EACH ROW EXECUTE FUNCTION routing_input_touch();
CREATE TRIGGER workspaces_rit AFTER UPDATE OF time_zone ON workspaces
    FOR EACH ROW EXECUTE FUNCTION routing_input_touch();

-- A stage-history entry that is added can only raise the deal's furthest open stage (issue 6: the stage move's cost).
-- The fact row is exact before the entry (every writer keeps it so), and the furthest position is a maximum over the
-- deal's current stage and its history's stages (open, not archived, of the deal's pipeline): one more entry makes it
-- the larger of the stored value and the new entry's stage. So the insert trigger raises `furthest_pos` in place
-- instead of recomputing the whole fact row from deals, history and time-zone spans; when the deal row was written
-- first (a move updates the deal, then appends its history) the current stage already counted and nothing changes.
-- An entry changed or removed can lower the maximum: those still recompute (report_deal_touch, 0021).

CREATE FUNCTION report_history_raise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = NEW.workspace_id) THEN
        RETURN NULL;
    END IF;
    UPDATE report_deal_facts f SET furthest_pos = s.position
    FROM pipeline_stages s
    WHERE f.deal_id = NEW.deal_id AND f.workspace_id = NEW.workspace_id
        AND s.workspace_id = NEW.workspace_id AND s.id = NEW.to_stage_id AND s.pipeline_id = f.pipeline_id
        AND s.kind = 'open' AND s.archived_at IS NULL AND f.furthest_pos < s.position;
    RETURN NULL;
END;
$$;

DROP TRIGGER report_history_rt ON deal_stage_history;
CREATE TRIGGER report_history_rt AFTER DELETE OR UPDATE OF deal_id, to_stage_id
    ON deal_stage_history FOR EACH ROW EXECUTE FUNCTION report_deal_touch();
CREATE TRIGGER report_history_raise_rt AFTER INSERT
    ON deal_stage_history FOR EACH ROW EXECUTE FUNCTION report_history_raise();

-- (The SQLite migration of this number also takes workspace_id out of the SET list of the deal row's fact upsert:
-- SQLite rewrites an index entry for every column named in SET. PostgreSQL decides by the values — an update that
-- changes no indexed column can stay a heap-only tuple — so its report_deal_touch() stays as 0021 wrote it.)

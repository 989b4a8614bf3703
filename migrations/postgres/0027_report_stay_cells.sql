-- The funnel's median time in stage over a year at 1M deals (issue 8). It stays exact to the millisecond, so it needs
-- every completed stay of the period's deals; read from report_stays (0024) that is one row per stay (~1.4M for a
-- year), and handing them over alone took the 300 ms budget. report_stay_cells keeps the same stays packed: one row
-- per 8-day block of created days × currency × pipeline × owner × stage, with the stays of that cell as text
-- (",v1,v2,…,", in no order) and their count. A report reads whole blocks from here (~40 rows per owner and stage
-- for a year instead of ~1,400) and the days at either end of its period (< 8 each) from report_stays as before.
-- Block b holds created days 8b … 8b+7 (block 0, where integer division meets negative days, is never read).
--
-- Kept by a trigger on report_stays, so the cells are exactly its rows whatever changes them: an inserted stay is
-- appended to its cell, a deleted one removes one occurrence of its value, a moved one (the deal's keys changed) goes
-- from its old cell to its new one. Nothing runs while the workspace has no rollup state; rollup::Rebuild fills the
-- table with one GROUP BY, and so does this migration for the workspaces already built.

CREATE TABLE report_stay_cells (
    workspace_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    block INTEGER NOT NULL,
    pipeline_id BIGINT NOT NULL,
    owner_key BIGINT NOT NULL,
    stage_id BIGINT NOT NULL,
    n INTEGER NOT NULL,
    stays TEXT NOT NULL,
    -- The report's read is one range of this key (a currency's blocks), the cells in it.
    PRIMARY KEY (workspace_id, currency, block, pipeline_id, owner_key, stage_id)
);

INSERT INTO report_stay_cells (workspace_id, currency, block, pipeline_id, owner_key, stage_id, n, stays)
    SELECT workspace_id, currency, created_day / 8, pipeline_id, owner_key, stage_id, COUNT(*),
           ',' || string_agg(stay_ms::text, ',') || ','
    FROM report_stays WHERE workspace_id IN (SELECT workspace_id FROM report_rollup_state)
    GROUP BY workspace_id, currency, created_day / 8, pipeline_id, owner_key, stage_id;

-- One stay out of its old cell (one occurrence of its value: ",v," becomes ","), into its new one. In PL/pgSQL, so
-- the statements' plans are kept for the session.
CREATE FUNCTION report_stay_cells_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE')
       AND EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = OLD.workspace_id)
       AND (TG_OP = 'DELETE' OR EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = NEW.workspace_id)) THEN
        UPDATE report_stay_cells
            SET n = n - 1,
                stays = substr(stays, 1, strpos(stays, ',' || OLD.stay_ms || ',')) ||
                        substr(stays, strpos(stays, ',' || OLD.stay_ms || ',') + length(OLD.stay_ms::text) + 2)
            WHERE workspace_id = OLD.workspace_id AND currency = OLD.currency AND block = OLD.created_day / 8
                AND pipeline_id = OLD.pipeline_id AND owner_key = OLD.owner_key AND stage_id = OLD.stage_id;
        DELETE FROM report_stay_cells
            WHERE workspace_id = OLD.workspace_id AND currency = OLD.currency AND block = OLD.created_day / 8
                AND pipeline_id = OLD.pipeline_id AND owner_key = OLD.owner_key AND stage_id = OLD.stage_id AND n <= 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE')
       AND EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = NEW.workspace_id)
       AND (TG_OP = 'INSERT' OR EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = OLD.workspace_id)) THEN
        INSERT INTO report_stay_cells (workspace_id, currency, block, pipeline_id, owner_key, stage_id, n, stays)
            VALUES (NEW.workspace_id, NEW.currency, NEW.created_day / 8, NEW.pipeline_id, NEW.owner_key, NEW.stage_id,
                    1, ',' || NEW.stay_ms || ',')
            ON CONFLICT (workspace_id, currency, block, pipeline_id, owner_key, stage_id)
            DO UPDATE SET n = report_stay_cells.n + 1, stays = report_stay_cells.stays || NEW.stay_ms || ',';
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_stay_cells_rt AFTER INSERT OR DELETE OR UPDATE ON report_stays
    FOR EACH ROW EXECUTE FUNCTION report_stay_cells_keep();

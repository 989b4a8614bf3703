-- The funnel's median time in stage at scale (issue 8). The median stays exact to the millisecond, so it needs every
-- completed stay of the period's deals; reading them from deal_stage_history joined to deals cost ~1 s for a month
-- and ~19 s for a year at 1M deals. report_stays keeps one narrow row per completed stay (a history entry and the
-- next one of the same deal, ordered by time then id), keyed like the deal's fact row (migration 0021), so the
-- report reads one key range in created-day order and never joins.
--
-- Kept by triggers, like the other rollups: the deal's fact row brings its stays in (insert), moves their keys
-- (owner, pipeline, currency, created day change) and takes them out (delete); a history entry appended after the
-- deal's last one adds the one stay it ends; any other history change recomputes that deal's stays. Nothing runs
-- while the workspace has no rollup state; rollup::Rebuild fills the table in one statement.
--
-- Existing rollups are dropped so they are rebuilt with the stays (by `otdel migrate`, else by the first report).

CREATE TABLE report_stays (
    workspace_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    created_day INTEGER NOT NULL,
    pipeline_id BIGINT NOT NULL,
    owner_key BIGINT NOT NULL,
    stage_id BIGINT NOT NULL,
    stay_ms BIGINT NOT NULL,
    history_id BIGINT NOT NULL,
    deal_id BIGINT NOT NULL,
    -- The report's read is one range of this key (a currency's created days), everything it returns in the key.
    -- A stage move writes the heap and two b-trees: this key and the deal index.
    PRIMARY KEY (workspace_id, currency, created_day, pipeline_id, owner_key, stage_id, stay_ms, history_id)
);
-- A deal's stays: recomputed, re-keyed and removed by deal.
CREATE INDEX report_stays_deal_idx ON report_stays (deal_id);

DELETE FROM report_rollup_state;

-- A deal's stays again from its history (nothing when the deal has no fact row: deleted, or no rollups).
CREATE FUNCTION report_stays_refresh(p_ws BIGINT, p_deal BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM report_stays WHERE deal_id = p_deal;
    INSERT INTO report_stays (history_id, workspace_id, deal_id, pipeline_id, currency, owner_key, created_day, stage_id, stay_ms)
        SELECT x.id, f.workspace_id, f.deal_id, f.pipeline_id, f.currency, f.owner_key, f.created_day, x.to_stage_id, x.next_at - x.at
        FROM (SELECT h.id, h.deal_id, h.to_stage_id, h.at, LEAD(h.at) OVER (ORDER BY h.at, h.id) AS next_at
              FROM deal_stage_history h WHERE h.workspace_id = p_ws AND h.deal_id = p_deal) x
        JOIN report_deal_facts f ON f.deal_id = x.deal_id
        WHERE x.next_at IS NOT NULL;
END;
$$;

CREATE FUNCTION report_stays_fact() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM report_stays WHERE deal_id = OLD.deal_id;
        RETURN NULL;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = NEW.workspace_id) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM report_stays_refresh(NEW.workspace_id, NEW.deal_id);
    ELSIF OLD.workspace_id IS DISTINCT FROM NEW.workspace_id OR OLD.pipeline_id IS DISTINCT FROM NEW.pipeline_id
        OR OLD.currency IS DISTINCT FROM NEW.currency OR OLD.owner_key IS DISTINCT FROM NEW.owner_key
        OR OLD.created_day IS DISTINCT FROM NEW.created_day THEN
        UPDATE report_stays SET workspace_id = NEW.workspace_id, pipeline_id = NEW.pipeline_id, currency = NEW.currency,
            owner_key = NEW.owner_key, created_day = NEW.created_day
        WHERE deal_id = NEW.deal_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_stays_fact_rt AFTER INSERT OR DELETE OR UPDATE ON report_deal_facts
    FOR EACH ROW EXECUTE FUNCTION report_stays_fact();

CREATE FUNCTION report_stays_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = NEW.workspace_id) THEN
            RETURN NULL;
        END IF;
        IF EXISTS (SELECT 1 FROM deal_stage_history l WHERE l.workspace_id = NEW.workspace_id AND l.deal_id = NEW.deal_id
                   AND (l.at > NEW.at OR (l.at = NEW.at AND l.id > NEW.id))) THEN
            -- written into the past (an import of history out of order)
            PERFORM report_stays_refresh(NEW.workspace_id, NEW.deal_id);
        ELSE
            -- a stage move: it ends exactly one stay, the deal's last one
            INSERT INTO report_stays (history_id, workspace_id, deal_id, pipeline_id, currency, owner_key, created_day, stage_id, stay_ms)
                SELECT p.id, f.workspace_id, f.deal_id, f.pipeline_id, f.currency, f.owner_key, f.created_day, p.to_stage_id, NEW.at - p.at
                FROM deal_stage_history p JOIN report_deal_facts f ON f.deal_id = p.deal_id
                WHERE p.workspace_id = NEW.workspace_id AND p.deal_id = NEW.deal_id AND p.id <> NEW.id
                    AND (p.at < NEW.at OR (p.at = NEW.at AND p.id < NEW.id))
                ORDER BY p.at DESC, p.id DESC LIMIT 1;
        END IF;
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = OLD.workspace_id) THEN
        PERFORM report_stays_refresh(OLD.workspace_id, OLD.deal_id);
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.deal_id IS DISTINCT FROM OLD.deal_id OR NEW.workspace_id IS DISTINCT FROM OLD.workspace_id)
       AND EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = NEW.workspace_id) THEN
        PERFORM report_stays_refresh(NEW.workspace_id, NEW.deal_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_stays_history_rt AFTER INSERT OR DELETE OR UPDATE OF workspace_id, deal_id, to_stage_id, at
    ON deal_stage_history FOR EACH ROW EXECUTE FUNCTION report_stays_history();

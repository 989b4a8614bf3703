-- A stage-history entry that is added can only raise the deal's furthest open stage (issue 6: the stage move's cost).
-- The fact row is exact before the entry (every writer keeps it so), and the furthest position is a maximum over the
-- deal's current stage and its history's stages (open, not archived, of the deal's pipeline): one more entry makes it
-- the larger of the stored value and the new entry's stage. So the insert trigger raises `furthest_pos` in place
-- instead of recomputing the whole fact row from deals, history and time-zone spans; when the deal row was written
-- first (a move updates the deal, then appends its history) the current stage already counted and nothing changes.
-- An entry changed or removed can lower the maximum: those triggers (0021) still recompute.

DROP TRIGGER report_history_ai;

CREATE TRIGGER report_history_ai AFTER INSERT ON deal_stage_history WHEN EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = NEW.workspace_id) BEGIN
    UPDATE report_deal_facts SET furthest_pos = (SELECT s.position FROM pipeline_stages s WHERE s.id = NEW.to_stage_id)
    WHERE deal_id = NEW.deal_id AND workspace_id = NEW.workspace_id
        AND furthest_pos < (SELECT s.position FROM pipeline_stages s WHERE s.id = NEW.to_stage_id
            AND s.workspace_id = NEW.workspace_id AND s.pipeline_id = report_deal_facts.pipeline_id
            AND s.kind = 'open' AND s.archived_at IS NULL);
END;

-- The deal row's update trigger (0021) upserted the fact row naming every column in its SET, workspace_id too, and
-- SQLite rewrites an index entry for every column named in SET whether or not its value changes: each move rewrote
-- the fact row's entry in report_deal_facts_ws_idx, one more random page in the WAL and in the next checkpoint
-- (~1 of the move's 13 pages on the bench). The same trigger without workspace_id in the SET list; a deal that changes
-- workspace (none does: its foreign keys name the workspace) gets its fact row's workspace in a statement of its own.

DROP TRIGGER report_deals_au;

CREATE TRIGGER report_deals_au AFTER UPDATE OF workspace_id, pipeline_id, stage_id, owner_user_id, amount_minor, currency, status, loss_reason_id, closed_at, created_at, deleted_at ON deals WHEN EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = NEW.workspace_id) BEGIN
    DELETE FROM report_deal_facts WHERE deal_id = OLD.id AND NOT EXISTS (SELECT 1 FROM deals d WHERE d.id = OLD.id AND d.deleted_at IS NULL);
    INSERT INTO report_deal_facts (deal_id, workspace_id, pipeline_id, currency, owner_user_id, owner_key, amount_minor, stage_id, status, furthest_pos, loss_key, created_day, closed_day)
        SELECT d.id, d.workspace_id, d.pipeline_id, d.currency, d.owner_user_id, COALESCE(d.owner_user_id, 0), d.amount_minor, d.stage_id, d.status,
            COALESCE((SELECT MAX(s.position) FROM pipeline_stages s WHERE s.workspace_id = d.workspace_id
                AND s.pipeline_id = d.pipeline_id AND s.kind = 'open' AND s.archived_at IS NULL
                AND (s.id = d.stage_id OR s.id IN (SELECT h.to_stage_id FROM deal_stage_history h
                    WHERE h.workspace_id = d.workspace_id AND h.deal_id = d.id))), -1),
            CASE WHEN d.status = 'lost' THEN COALESCE(d.loss_reason_id, 0) ELSE 0 END,
            (d.created_at + COALESCE((SELECT z.offset_ms FROM report_tz_spans z WHERE z.workspace_id = d.workspace_id AND z.begin_ms <= d.created_at ORDER BY z.begin_ms DESC LIMIT 1), 0)) / 86400000,
            CASE WHEN d.closed_at IS NULL THEN NULL ELSE (d.closed_at + COALESCE((SELECT z.offset_ms FROM report_tz_spans z WHERE z.workspace_id = d.workspace_id AND z.begin_ms <= d.closed_at ORDER BY z.begin_ms DESC LIMIT 1), 0)) / 86400000 END
        FROM deals d WHERE d.id = NEW.id AND d.deleted_at IS NULL
            AND EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = d.workspace_id)
        ON CONFLICT (deal_id) DO UPDATE SET pipeline_id = excluded.pipeline_id, currency = excluded.currency, owner_user_id = excluded.owner_user_id, owner_key = excluded.owner_key, amount_minor = excluded.amount_minor, stage_id = excluded.stage_id, status = excluded.status, furthest_pos = excluded.furthest_pos, loss_key = excluded.loss_key, created_day = excluded.created_day, closed_day = excluded.closed_day
        WHERE NOT (report_deal_facts.pipeline_id IS excluded.pipeline_id AND report_deal_facts.currency IS excluded.currency AND report_deal_facts.owner_user_id IS excluded.owner_user_id AND report_deal_facts.owner_key IS excluded.owner_key AND report_deal_facts.amount_minor IS excluded.amount_minor AND report_deal_facts.stage_id IS excluded.stage_id AND report_deal_facts.status IS excluded.status AND report_deal_facts.furthest_pos IS excluded.furthest_pos AND report_deal_facts.loss_key IS excluded.loss_key AND report_deal_facts.created_day IS excluded.created_day AND report_deal_facts.closed_day IS excluded.closed_day AND report_deal_facts.workspace_id IS excluded.workspace_id);
    UPDATE report_deal_facts SET workspace_id = NEW.workspace_id WHERE deal_id = NEW.id AND workspace_id IS NOT NEW.workspace_id
        AND EXISTS (SELECT 1 FROM deals d WHERE d.id = NEW.id AND d.deleted_at IS NULL);
END;

-- PostgreSQL: the report rollups' deal trigger (0021) looked deals up by id alone. The deals' key is
-- (workspace_id, id) and no index starts with id, so every deal insert or update — a stage move, an owner change, a
-- won deal — scanned the whole deals table once or twice once a workspace's rollups were built (about 200 ms per write
-- at 1M deals). The function is the same with the workspace named in each of those four lookups (the history row and
-- the deal share a workspace: deal_stage_history references deals by (workspace_id, deal_id)). The SQLite migration
-- of this number is empty: there deals.id is the rowid and the same lookups are one probe.

CREATE OR REPLACE FUNCTION report_deal_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'deals' THEN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM report_deal_facts WHERE deal_id = OLD.id;
            RETURN NULL;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = NEW.workspace_id) THEN
            RETURN NULL;
        END IF;
        DELETE FROM report_deal_facts WHERE deal_id = NEW.id AND NOT EXISTS (SELECT 1 FROM deals d WHERE d.workspace_id = NEW.workspace_id AND d.id = NEW.id AND d.deleted_at IS NULL);
        INSERT INTO report_deal_facts (deal_id, workspace_id, pipeline_id, currency, owner_user_id, owner_key, amount_minor, stage_id, status, furthest_pos, loss_key, created_day, closed_day)
            SELECT d.id, d.workspace_id, d.pipeline_id, d.currency, d.owner_user_id, COALESCE(d.owner_user_id, 0), d.amount_minor, d.stage_id, d.status,
                COALESCE((SELECT MAX(s.position) FROM pipeline_stages s WHERE s.workspace_id = d.workspace_id
                    AND s.pipeline_id = d.pipeline_id AND s.kind = 'open' AND s.archived_at IS NULL
                    AND (s.id = d.stage_id OR s.id IN (SELECT h.to_stage_id FROM deal_stage_history h
                        WHERE h.workspace_id = d.workspace_id AND h.deal_id = d.id))), -1),
                CASE WHEN d.status = 'lost' THEN COALESCE(d.loss_reason_id, 0) ELSE 0 END,
                (d.created_at + COALESCE((SELECT z.offset_ms FROM report_tz_spans z WHERE z.workspace_id = d.workspace_id AND z.begin_ms <= d.created_at ORDER BY z.begin_ms DESC LIMIT 1), 0)) / 86400000,
                CASE WHEN d.closed_at IS NULL THEN NULL ELSE (d.closed_at + COALESCE((SELECT z.offset_ms FROM report_tz_spans z WHERE z.workspace_id = d.workspace_id AND z.begin_ms <= d.closed_at ORDER BY z.begin_ms DESC LIMIT 1), 0)) / 86400000 END
            FROM deals d WHERE d.workspace_id = NEW.workspace_id AND d.id = NEW.id AND d.deleted_at IS NULL
                AND EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = d.workspace_id)
            ON CONFLICT (deal_id) DO UPDATE SET pipeline_id = excluded.pipeline_id, currency = excluded.currency, owner_user_id = excluded.owner_user_id, owner_key = excluded.owner_key, amount_minor = excluded.amount_minor, stage_id = excluded.stage_id, status = excluded.status, furthest_pos = excluded.furthest_pos, loss_key = excluded.loss_key, created_day = excluded.created_day, closed_day = excluded.closed_day, workspace_id = excluded.workspace_id
            WHERE NOT (report_deal_facts.pipeline_id IS NOT DISTINCT FROM excluded.pipeline_id AND report_deal_facts.currency IS NOT DISTINCT FROM excluded.currency AND report_deal_facts.owner_user_id IS NOT DISTINCT FROM excluded.owner_user_id AND report_deal_facts.owner_key IS NOT DISTINCT FROM excluded.owner_key AND report_deal_facts.amount_minor IS NOT DISTINCT FROM excluded.amount_minor AND report_deal_facts.stage_id IS NOT DISTINCT FROM excluded.stage_id AND report_deal_facts.status IS NOT DISTINCT FROM excluded.status AND report_deal_facts.furthest_pos IS NOT DISTINCT FROM excluded.furthest_pos AND report_deal_facts.loss_key IS NOT DISTINCT FROM excluded.loss_key AND report_deal_facts.created_day IS NOT DISTINCT FROM excluded.created_day AND report_deal_facts.closed_day IS NOT DISTINCT FROM excluded.closed_day AND report_deal_facts.workspace_id IS NOT DISTINCT FROM excluded.workspace_id);
    ELSIF TG_TABLE_NAME = 'deal_stage_history' THEN
        IF TG_OP <> 'INSERT' THEN
            INSERT INTO report_deal_facts (deal_id, workspace_id, pipeline_id, currency, owner_user_id, owner_key, amount_minor, stage_id, status, furthest_pos, loss_key, created_day, closed_day)
                SELECT d.id, d.workspace_id, d.pipeline_id, d.currency, d.owner_user_id, COALESCE(d.owner_user_id, 0), d.amount_minor, d.stage_id, d.status,
                    COALESCE((SELECT MAX(s.position) FROM pipeline_stages s WHERE s.workspace_id = d.workspace_id
                        AND s.pipeline_id = d.pipeline_id AND s.kind = 'open' AND s.archived_at IS NULL
                        AND (s.id = d.stage_id OR s.id IN (SELECT h.to_stage_id FROM deal_stage_history h
                            WHERE h.workspace_id = d.workspace_id AND h.deal_id = d.id))), -1),
                    CASE WHEN d.status = 'lost' THEN COALESCE(d.loss_reason_id, 0) ELSE 0 END,
                    (d.created_at + COALESCE((SELECT z.offset_ms FROM report_tz_spans z WHERE z.workspace_id = d.workspace_id AND z.begin_ms <= d.created_at ORDER BY z.begin_ms DESC LIMIT 1), 0)) / 86400000,
                    CASE WHEN d.closed_at IS NULL THEN NULL ELSE (d.closed_at + COALESCE((SELECT z.offset_ms FROM report_tz_spans z WHERE z.workspace_id = d.workspace_id AND z.begin_ms <= d.closed_at ORDER BY z.begin_ms DESC LIMIT 1), 0)) / 86400000 END
                FROM deals d WHERE d.workspace_id = OLD.workspace_id AND d.id = OLD.deal_id AND d.deleted_at IS NULL
                    AND EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = d.workspace_id)
                ON CONFLICT (deal_id) DO UPDATE SET pipeline_id = excluded.pipeline_id, currency = excluded.currency, owner_user_id = excluded.owner_user_id, owner_key = excluded.owner_key, amount_minor = excluded.amount_minor, stage_id = excluded.stage_id, status = excluded.status, furthest_pos = excluded.furthest_pos, loss_key = excluded.loss_key, created_day = excluded.created_day, closed_day = excluded.closed_day, workspace_id = excluded.workspace_id
                WHERE NOT (report_deal_facts.pipeline_id IS NOT DISTINCT FROM excluded.pipeline_id AND report_deal_facts.currency IS NOT DISTINCT FROM excluded.currency AND report_deal_facts.owner_user_id IS NOT DISTINCT FROM excluded.owner_user_id AND report_deal_facts.owner_key IS NOT DISTINCT FROM excluded.owner_key AND report_deal_facts.amount_minor IS NOT DISTINCT FROM excluded.amount_minor AND report_deal_facts.stage_id IS NOT DISTINCT FROM excluded.stage_id AND report_deal_facts.status IS NOT DISTINCT FROM excluded.status AND report_deal_facts.furthest_pos IS NOT DISTINCT FROM excluded.furthest_pos AND report_deal_facts.loss_key IS NOT DISTINCT FROM excluded.loss_key AND report_deal_facts.created_day IS NOT DISTINCT FROM excluded.created_day AND report_deal_facts.closed_day IS NOT DISTINCT FROM excluded.closed_day AND report_deal_facts.workspace_id IS NOT DISTINCT FROM excluded.workspace_id);
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO report_deal_facts (deal_id, workspace_id, pipeline_id, currency, owner_user_id, owner_key, amount_minor, stage_id, status, furthest_pos, loss_key, created_day, closed_day)
                SELECT d.id, d.workspace_id, d.pipeline_id, d.currency, d.owner_user_id, COALESCE(d.owner_user_id, 0), d.amount_minor, d.stage_id, d.status,
                    COALESCE((SELECT MAX(s.position) FROM pipeline_stages s WHERE s.workspace_id = d.workspace_id
                        AND s.pipeline_id = d.pipeline_id AND s.kind = 'open' AND s.archived_at IS NULL
                        AND (s.id = d.stage_id OR s.id IN (SELECT h.to_stage_id FROM deal_stage_history h
                            WHERE h.workspace_id = d.workspace_id AND h.deal_id = d.id))), -1),
                    CASE WHEN d.status = 'lost' THEN COALESCE(d.loss_reason_id, 0) ELSE 0 END,
                    (d.created_at + COALESCE((SELECT z.offset_ms FROM report_tz_spans z WHERE z.workspace_id = d.workspace_id AND z.begin_ms <= d.created_at ORDER BY z.begin_ms DESC LIMIT 1), 0)) / 86400000,
                    CASE WHEN d.closed_at IS NULL THEN NULL ELSE (d.closed_at + COALESCE((SELECT z.offset_ms FROM report_tz_spans z WHERE z.workspace_id = d.workspace_id AND z.begin_ms <= d.closed_at ORDER BY z.begin_ms DESC LIMIT 1), 0)) / 86400000 END
                FROM deals d WHERE d.workspace_id = NEW.workspace_id AND d.id = NEW.deal_id AND d.deleted_at IS NULL
                    AND EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = d.workspace_id)
                ON CONFLICT (deal_id) DO UPDATE SET pipeline_id = excluded.pipeline_id, currency = excluded.currency, owner_user_id = excluded.owner_user_id, owner_key = excluded.owner_key, amount_minor = excluded.amount_minor, stage_id = excluded.stage_id, status = excluded.status, furthest_pos = excluded.furthest_pos, loss_key = excluded.loss_key, created_day = excluded.created_day, closed_day = excluded.closed_day, workspace_id = excluded.workspace_id
                WHERE NOT (report_deal_facts.pipeline_id IS NOT DISTINCT FROM excluded.pipeline_id AND report_deal_facts.currency IS NOT DISTINCT FROM excluded.currency AND report_deal_facts.owner_user_id IS NOT DISTINCT FROM excluded.owner_user_id AND report_deal_facts.owner_key IS NOT DISTINCT FROM excluded.owner_key AND report_deal_facts.amount_minor IS NOT DISTINCT FROM excluded.amount_minor AND report_deal_facts.stage_id IS NOT DISTINCT FROM excluded.stage_id AND report_deal_facts.status IS NOT DISTINCT FROM excluded.status AND report_deal_facts.furthest_pos IS NOT DISTINCT FROM excluded.furthest_pos AND report_deal_facts.loss_key IS NOT DISTINCT FROM excluded.loss_key AND report_deal_facts.created_day IS NOT DISTINCT FROM excluded.created_day AND report_deal_facts.closed_day IS NOT DISTINCT FROM excluded.closed_day AND report_deal_facts.workspace_id IS NOT DISTINCT FROM excluded.workspace_id);
        END IF;
    ELSE
        IF TG_OP <> 'INSERT' THEN
            INSERT INTO report_deal_facts (deal_id, workspace_id, pipeline_id, currency, owner_user_id, owner_key, amount_minor, stage_id, status, furthest_pos, loss_key, created_day, closed_day)
                SELECT d.id, d.workspace_id, d.pipeline_id, d.currency, d.owner_user_id, COALESCE(d.owner_user_id, 0), d.amount_minor, d.stage_id, d.status,
                    COALESCE((SELECT MAX(s.position) FROM pipeline_stages s WHERE s.workspace_id = d.workspace_id
                        AND s.pipeline_id = d.pipeline_id AND s.kind = 'open' AND s.archived_at IS NULL
                        AND (s.id = d.stage_id OR s.id IN (SELECT h.to_stage_id FROM deal_stage_history h
                            WHERE h.workspace_id = d.workspace_id AND h.deal_id = d.id))), -1),
                    CASE WHEN d.status = 'lost' THEN COALESCE(d.loss_reason_id, 0) ELSE 0 END,
                    (d.created_at + COALESCE((SELECT z.offset_ms FROM report_tz_spans z WHERE z.workspace_id = d.workspace_id AND z.begin_ms <= d.created_at ORDER BY z.begin_ms DESC LIMIT 1), 0)) / 86400000,
                    CASE WHEN d.closed_at IS NULL THEN NULL ELSE (d.closed_at + COALESCE((SELECT z.offset_ms FROM report_tz_spans z WHERE z.workspace_id = d.workspace_id AND z.begin_ms <= d.closed_at ORDER BY z.begin_ms DESC LIMIT 1), 0)) / 86400000 END
                FROM deals d WHERE d.workspace_id = OLD.workspace_id AND d.pipeline_id = OLD.pipeline_id AND d.deleted_at IS NULL
                    AND EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = d.workspace_id)
                ON CONFLICT (deal_id) DO UPDATE SET pipeline_id = excluded.pipeline_id, currency = excluded.currency, owner_user_id = excluded.owner_user_id, owner_key = excluded.owner_key, amount_minor = excluded.amount_minor, stage_id = excluded.stage_id, status = excluded.status, furthest_pos = excluded.furthest_pos, loss_key = excluded.loss_key, created_day = excluded.created_day, closed_day = excluded.closed_day, workspace_id = excluded.workspace_id
                WHERE NOT (report_deal_facts.pipeline_id IS NOT DISTINCT FROM excluded.pipeline_id AND report_deal_facts.currency IS NOT DISTINCT FROM excluded.currency AND report_deal_facts.owner_user_id IS NOT DISTINCT FROM excluded.owner_user_id AND report_deal_facts.owner_key IS NOT DISTINCT FROM excluded.owner_key AND report_deal_facts.amount_minor IS NOT DISTINCT FROM excluded.amount_minor AND report_deal_facts.stage_id IS NOT DISTINCT FROM excluded.stage_id AND report_deal_facts.status IS NOT DISTINCT FROM excluded.status AND report_deal_facts.furthest_pos IS NOT DISTINCT FROM excluded.furthest_pos AND report_deal_facts.loss_key IS NOT DISTINCT FROM excluded.loss_key AND report_deal_facts.created_day IS NOT DISTINCT FROM excluded.created_day AND report_deal_facts.closed_day IS NOT DISTINCT FROM excluded.closed_day AND report_deal_facts.workspace_id IS NOT DISTINCT FROM excluded.workspace_id);
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.pipeline_id IS DISTINCT FROM OLD.pipeline_id THEN
            INSERT INTO report_deal_facts (deal_id, workspace_id, pipeline_id, currency, owner_user_id, owner_key, amount_minor, stage_id, status, furthest_pos, loss_key, created_day, closed_day)
                SELECT d.id, d.workspace_id, d.pipeline_id, d.currency, d.owner_user_id, COALESCE(d.owner_user_id, 0), d.amount_minor, d.stage_id, d.status,
                    COALESCE((SELECT MAX(s.position) FROM pipeline_stages s WHERE s.workspace_id = d.workspace_id
                        AND s.pipeline_id = d.pipeline_id AND s.kind = 'open' AND s.archived_at IS NULL
                        AND (s.id = d.stage_id OR s.id IN (SELECT h.to_stage_id FROM deal_stage_history h
                            WHERE h.workspace_id = d.workspace_id AND h.deal_id = d.id))), -1),
                    CASE WHEN d.status = 'lost' THEN COALESCE(d.loss_reason_id, 0) ELSE 0 END,
                    (d.created_at + COALESCE((SELECT z.offset_ms FROM report_tz_spans z WHERE z.workspace_id = d.workspace_id AND z.begin_ms <= d.created_at ORDER BY z.begin_ms DESC LIMIT 1), 0)) / 86400000,
                    CASE WHEN d.closed_at IS NULL THEN NULL ELSE (d.closed_at + COALESCE((SELECT z.offset_ms FROM report_tz_spans z WHERE z.workspace_id = d.workspace_id AND z.begin_ms <= d.closed_at ORDER BY z.begin_ms DESC LIMIT 1), 0)) / 86400000 END
                FROM deals d WHERE d.workspace_id = NEW.workspace_id AND d.pipeline_id = NEW.pipeline_id AND d.deleted_at IS NULL
                    AND EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = d.workspace_id)
                ON CONFLICT (deal_id) DO UPDATE SET pipeline_id = excluded.pipeline_id, currency = excluded.currency, owner_user_id = excluded.owner_user_id, owner_key = excluded.owner_key, amount_minor = excluded.amount_minor, stage_id = excluded.stage_id, status = excluded.status, furthest_pos = excluded.furthest_pos, loss_key = excluded.loss_key, created_day = excluded.created_day, closed_day = excluded.closed_day, workspace_id = excluded.workspace_id
                WHERE NOT (report_deal_facts.pipeline_id IS NOT DISTINCT FROM excluded.pipeline_id AND report_deal_facts.currency IS NOT DISTINCT FROM excluded.currency AND report_deal_facts.owner_user_id IS NOT DISTINCT FROM excluded.owner_user_id AND report_deal_facts.owner_key IS NOT DISTINCT FROM excluded.owner_key AND report_deal_facts.amount_minor IS NOT DISTINCT FROM excluded.amount_minor AND report_deal_facts.stage_id IS NOT DISTINCT FROM excluded.stage_id AND report_deal_facts.status IS NOT DISTINCT FROM excluded.status AND report_deal_facts.furthest_pos IS NOT DISTINCT FROM excluded.furthest_pos AND report_deal_facts.loss_key IS NOT DISTINCT FROM excluded.loss_key AND report_deal_facts.created_day IS NOT DISTINCT FROM excluded.created_day AND report_deal_facts.closed_day IS NOT DISTINCT FROM excluded.closed_day AND report_deal_facts.workspace_id IS NOT DISTINCT FROM excluded.workspace_id);
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

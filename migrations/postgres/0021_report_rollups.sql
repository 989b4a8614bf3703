-- Reports at scale (issue 8): exact rollups the funnel, win/loss and manager activity reports read instead of raw
-- facts. Kept by triggers (not by the services' code), so every path that writes deals, their stage history,
-- pipeline stages or activities keeps them exact in the same transaction: the API, imports, automation, merges,
-- the seed, a test's own SQL, another process.
--
--   report_tz_spans      the workspace's time zone as offset spans (filled by the reports room from the tz database:
--                        SQLite has none), so a trigger names an instant's local day with one indexed lookup.
--   report_rollup_state  the zone the rollups were built for. No row: not built; the triggers then do nothing and
--                        the first report builds everything in one transaction (the backfill), as it does again
--                        after the workspace's zone changes.
--   report_deal_facts    one row per live deal: what the rollups key it by, including the furthest open stage
--                        position it reached (current stage and history) and its local created / closed days.
--   report_deal_days     counts and sums of deals per local day, pipeline, currency, owner and stage / status /
--                        furthest position ('c' = by created day) or status / loss reason ('x' = by closed day).
--   report_activity_days calls, meetings, tasks (done) and e-mails per owner and local day.
--
-- Source triggers recompute a deal's fact row from the current rows (no before-image arithmetic); the fact table's
-- own triggers move its old row's counts out of the rollup and its new row's in.

CREATE TABLE report_tz_spans (
    workspace_id BIGINT NOT NULL,
    begin_ms BIGINT NOT NULL,
    end_ms BIGINT NOT NULL,
    offset_ms BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, begin_ms)
);

CREATE TABLE report_rollup_state (
    workspace_id BIGINT PRIMARY KEY,
    time_zone TEXT NOT NULL,
    built_at BIGINT NOT NULL
);

CREATE TABLE report_deal_facts (
    deal_id BIGINT PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    pipeline_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    owner_user_id BIGINT,
    owner_key BIGINT NOT NULL,
    amount_minor BIGINT NOT NULL,
    stage_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    furthest_pos INTEGER NOT NULL,
    loss_key BIGINT NOT NULL,
    created_day INTEGER NOT NULL,
    closed_day INTEGER
);
CREATE INDEX report_deal_facts_ws_idx ON report_deal_facts (workspace_id);

CREATE TABLE report_deal_days (
    workspace_id BIGINT NOT NULL,
    side TEXT NOT NULL,
    day INTEGER NOT NULL,
    pipeline_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    owner_key BIGINT NOT NULL,
    owner_user_id BIGINT,
    stage_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    furthest_pos INTEGER NOT NULL,
    loss_key BIGINT NOT NULL,
    n BIGINT NOT NULL,
    amount_minor BIGINT NOT NULL,
    UNIQUE (workspace_id, side, day, pipeline_id, currency, owner_key, stage_id, status, furthest_pos, loss_key)
);

CREATE TABLE report_activity_days (
    workspace_id BIGINT NOT NULL,
    day INTEGER NOT NULL,
    owner_key BIGINT NOT NULL,
    owner_user_id BIGINT,
    kind TEXT NOT NULL,
    n BIGINT NOT NULL,
    n_done BIGINT NOT NULL,
    UNIQUE (workspace_id, day, owner_key, kind)
);

-- Deals, their stage history and pipeline stages: recompute the fact rows they touch.
CREATE FUNCTION report_deal_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'deals' THEN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM report_deal_facts WHERE deal_id = OLD.id;
            RETURN NULL;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = NEW.workspace_id) THEN
            RETURN NULL;
        END IF;
        DELETE FROM report_deal_facts WHERE deal_id = NEW.id AND NOT EXISTS (SELECT 1 FROM deals d WHERE d.id = NEW.id AND d.deleted_at IS NULL);
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
                FROM deals d WHERE d.id = OLD.deal_id AND d.deleted_at IS NULL
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
                FROM deals d WHERE d.id = NEW.deal_id AND d.deleted_at IS NULL
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

CREATE TRIGGER report_deals_rt AFTER INSERT OR DELETE OR UPDATE OF
    workspace_id, pipeline_id, stage_id, owner_user_id, amount_minor, currency, status, loss_reason_id, closed_at, created_at, deleted_at
    ON deals FOR EACH ROW EXECUTE FUNCTION report_deal_touch();
CREATE TRIGGER report_history_rt AFTER INSERT OR DELETE OR UPDATE OF deal_id, to_stage_id
    ON deal_stage_history FOR EACH ROW EXECUTE FUNCTION report_deal_touch();
CREATE TRIGGER report_stages_rt AFTER DELETE OR UPDATE OF pipeline_id, position, kind, archived_at
    ON pipeline_stages FOR EACH ROW EXECUTE FUNCTION report_deal_touch();

-- The fact rows move their counts in and out of the daily rollup.
CREATE FUNCTION report_fact_roll() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = OLD.workspace_id) THEN
        INSERT INTO report_deal_days (workspace_id, side, day, pipeline_id, currency, owner_key, owner_user_id, stage_id, status, furthest_pos, loss_key, n, amount_minor)
            SELECT OLD.workspace_id, 'c', OLD.created_day, OLD.pipeline_id, OLD.currency, OLD.owner_key, OLD.owner_user_id, OLD.stage_id, OLD.status, OLD.furthest_pos, 0, -1, -OLD.amount_minor WHERE 1 = 1
            ON CONFLICT (workspace_id, side, day, pipeline_id, currency, owner_key, stage_id, status, furthest_pos, loss_key) DO UPDATE SET n = report_deal_days.n + excluded.n, amount_minor = report_deal_days.amount_minor + excluded.amount_minor;
        INSERT INTO report_deal_days (workspace_id, side, day, pipeline_id, currency, owner_key, owner_user_id, stage_id, status, furthest_pos, loss_key, n, amount_minor)
            SELECT OLD.workspace_id, 'x', OLD.closed_day, OLD.pipeline_id, OLD.currency, OLD.owner_key, OLD.owner_user_id, 0, OLD.status, -1, OLD.loss_key, -1, -OLD.amount_minor WHERE OLD.closed_day IS NOT NULL
            ON CONFLICT (workspace_id, side, day, pipeline_id, currency, owner_key, stage_id, status, furthest_pos, loss_key) DO UPDATE SET n = report_deal_days.n + excluded.n, amount_minor = report_deal_days.amount_minor + excluded.amount_minor;
    END IF;
    IF TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = NEW.workspace_id) THEN
        INSERT INTO report_deal_days (workspace_id, side, day, pipeline_id, currency, owner_key, owner_user_id, stage_id, status, furthest_pos, loss_key, n, amount_minor)
            SELECT NEW.workspace_id, 'c', NEW.created_day, NEW.pipeline_id, NEW.currency, NEW.owner_key, NEW.owner_user_id, NEW.stage_id, NEW.status, NEW.furthest_pos, 0, 1, NEW.amount_minor WHERE 1 = 1
            ON CONFLICT (workspace_id, side, day, pipeline_id, currency, owner_key, stage_id, status, furthest_pos, loss_key) DO UPDATE SET n = report_deal_days.n + excluded.n, amount_minor = report_deal_days.amount_minor + excluded.amount_minor;
        INSERT INTO report_deal_days (workspace_id, side, day, pipeline_id, currency, owner_key, owner_user_id, stage_id, status, furthest_pos, loss_key, n, amount_minor)
            SELECT NEW.workspace_id, 'x', NEW.closed_day, NEW.pipeline_id, NEW.currency, NEW.owner_key, NEW.owner_user_id, 0, NEW.status, -1, NEW.loss_key, 1, NEW.amount_minor WHERE NEW.closed_day IS NOT NULL
            ON CONFLICT (workspace_id, side, day, pipeline_id, currency, owner_key, stage_id, status, furthest_pos, loss_key) DO UPDATE SET n = report_deal_days.n + excluded.n, amount_minor = report_deal_days.amount_minor + excluded.amount_minor;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_facts_rt AFTER INSERT OR DELETE OR UPDATE ON report_deal_facts
    FOR EACH ROW EXECUTE FUNCTION report_fact_roll();

-- Activities: calls, meetings, tasks and e-mails per owner and local day.
CREATE FUNCTION report_activity_roll() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO report_activity_days (workspace_id, day, owner_key, owner_user_id, kind, n, n_done)
            SELECT OLD.workspace_id, (OLD.at + COALESCE((SELECT z.offset_ms FROM report_tz_spans z WHERE z.workspace_id = OLD.workspace_id AND z.begin_ms <= OLD.at ORDER BY z.begin_ms DESC LIMIT 1), 0)) / 86400000, COALESCE(OLD.owner_user_id, 0), OLD.owner_user_id, OLD.kind, -1, CASE WHEN OLD.done <> 0 THEN -1 ELSE 0 END
            WHERE OLD.deleted_at IS NULL AND OLD.kind IN ('call', 'meeting', 'task', 'email')
                AND EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = OLD.workspace_id)
            ON CONFLICT (workspace_id, day, owner_key, kind) DO UPDATE SET n = report_activity_days.n + excluded.n, n_done = report_activity_days.n_done + excluded.n_done;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO report_activity_days (workspace_id, day, owner_key, owner_user_id, kind, n, n_done)
            SELECT NEW.workspace_id, (NEW.at + COALESCE((SELECT z.offset_ms FROM report_tz_spans z WHERE z.workspace_id = NEW.workspace_id AND z.begin_ms <= NEW.at ORDER BY z.begin_ms DESC LIMIT 1), 0)) / 86400000, COALESCE(NEW.owner_user_id, 0), NEW.owner_user_id, NEW.kind, 1, CASE WHEN NEW.done <> 0 THEN 1 ELSE 0 END
            WHERE NEW.deleted_at IS NULL AND NEW.kind IN ('call', 'meeting', 'task', 'email')
                AND EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = NEW.workspace_id)
            ON CONFLICT (workspace_id, day, owner_key, kind) DO UPDATE SET n = report_activity_days.n + excluded.n, n_done = report_activity_days.n_done + excluded.n_done;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_activities_rt AFTER INSERT OR DELETE OR UPDATE OF workspace_id, kind, owner_user_id, at, done, deleted_at
    ON activities FOR EACH ROW EXECUTE FUNCTION report_activity_roll();

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
-- Existing rollups are dropped so they are rebuilt with the stays (by `otdel migrate`, else by the first report). On
-- SQLite the daily rollups of 0021 are re-created as WITHOUT ROWID tables on the way (below).

CREATE TABLE report_stays (
    workspace_id INTEGER NOT NULL,
    currency TEXT NOT NULL,
    created_day INTEGER NOT NULL,
    pipeline_id INTEGER NOT NULL,
    owner_key INTEGER NOT NULL,
    stage_id INTEGER NOT NULL,
    stay_ms INTEGER NOT NULL,
    history_id INTEGER NOT NULL,
    deal_id INTEGER NOT NULL,
    -- The report's read is one range of this key (a currency's created days), everything it returns in the key.
    -- The table is the key (WITHOUT ROWID), so a stage move writes two b-trees: this one and the deal index.
    PRIMARY KEY (workspace_id, currency, created_day, pipeline_id, owner_key, stage_id, stay_ms, history_id)
) WITHOUT ROWID;
-- A deal's stays: recomputed, re-keyed and removed by deal.
CREATE INDEX report_stays_deal_idx ON report_stays (deal_id);

DELETE FROM report_rollup_state;

-- The daily rollups of 0021 become their own key (WITHOUT ROWID): a report's range of days reads the counts from the
-- key's b-tree instead of one table row per entry (a year's funnel cells took ~100 ms in row lookups at 1M deals), and
-- a write touches one b-tree instead of a table and its unique index. Empty: the rollups are rebuilt anyway (above).
-- The triggers of 0021 name these tables by name and their upserts target the same columns, now the primary key.
DROP TABLE report_deal_days;
CREATE TABLE report_deal_days (
    workspace_id INTEGER NOT NULL,
    side TEXT NOT NULL,
    day INTEGER NOT NULL,
    pipeline_id INTEGER NOT NULL,
    currency TEXT NOT NULL,
    owner_key INTEGER NOT NULL,
    owner_user_id INTEGER,
    stage_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    furthest_pos INTEGER NOT NULL,
    loss_key INTEGER NOT NULL,
    n INTEGER NOT NULL,
    amount_minor INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, side, day, pipeline_id, currency, owner_key, stage_id, status, furthest_pos, loss_key)
) WITHOUT ROWID;
DROP TABLE report_activity_days;
CREATE TABLE report_activity_days (
    workspace_id INTEGER NOT NULL,
    day INTEGER NOT NULL,
    owner_key INTEGER NOT NULL,
    owner_user_id INTEGER,
    kind TEXT NOT NULL,
    n INTEGER NOT NULL,
    n_done INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, day, owner_key, kind)
) WITHOUT ROWID;

-- The deal's fact row appears (a new deal, a restored one): its stays from its history.
CREATE TRIGGER report_stays_fact_ai AFTER INSERT ON report_deal_facts WHEN EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = NEW.workspace_id) BEGIN
    DELETE FROM report_stays WHERE deal_id = NEW.deal_id;
    INSERT INTO report_stays (history_id, workspace_id, deal_id, pipeline_id, currency, owner_key, created_day, stage_id, stay_ms)
        SELECT x.id, NEW.workspace_id, NEW.deal_id, NEW.pipeline_id, NEW.currency, NEW.owner_key, NEW.created_day, x.to_stage_id, x.next_at - x.at
        FROM (SELECT h.id, h.to_stage_id, h.at, LEAD(h.at) OVER (ORDER BY h.at, h.id) AS next_at FROM deal_stage_history h
              WHERE h.workspace_id = NEW.workspace_id AND h.deal_id = NEW.deal_id) x
        WHERE x.next_at IS NOT NULL;
END;

-- The keys the report filters by changed: the stays follow.
CREATE TRIGGER report_stays_fact_au AFTER UPDATE ON report_deal_facts
    WHEN OLD.workspace_id IS NOT NEW.workspace_id OR OLD.pipeline_id IS NOT NEW.pipeline_id OR OLD.currency IS NOT NEW.currency
        OR OLD.owner_key IS NOT NEW.owner_key OR OLD.created_day IS NOT NEW.created_day BEGIN
    UPDATE report_stays SET workspace_id = NEW.workspace_id, pipeline_id = NEW.pipeline_id, currency = NEW.currency, owner_key = NEW.owner_key,
        created_day = NEW.created_day
    WHERE deal_id = NEW.deal_id;
END;

-- The deal is gone (deleted, or the rollups are being rebuilt).
CREATE TRIGGER report_stays_fact_ad AFTER DELETE ON report_deal_facts BEGIN
    DELETE FROM report_stays WHERE deal_id = OLD.deal_id;
END;

-- A stage move: the entry comes after every other entry of the deal, so it ends exactly one stay (the last one's).
CREATE TRIGGER report_stays_history_append AFTER INSERT ON deal_stage_history
    WHEN EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = NEW.workspace_id)
        AND NOT EXISTS (SELECT 1 FROM deal_stage_history l WHERE l.workspace_id = NEW.workspace_id AND l.deal_id = NEW.deal_id
            AND (l.at > NEW.at OR (l.at = NEW.at AND l.id > NEW.id))) BEGIN
    INSERT INTO report_stays (history_id, workspace_id, deal_id, pipeline_id, currency, owner_key, created_day, stage_id, stay_ms)
        SELECT p.id, f.workspace_id, f.deal_id, f.pipeline_id, f.currency, f.owner_key, f.created_day, p.to_stage_id, NEW.at - p.at
        FROM deal_stage_history p JOIN report_deal_facts f ON f.deal_id = p.deal_id
        WHERE p.workspace_id = NEW.workspace_id AND p.deal_id = NEW.deal_id AND p.id <> NEW.id AND (p.at < NEW.at OR (p.at = NEW.at AND p.id < NEW.id))
        ORDER BY p.at DESC, p.id DESC LIMIT 1;
END;

-- An entry written into the past (an import of history out of order): the deal's stays again from its history.
CREATE TRIGGER report_stays_history_past AFTER INSERT ON deal_stage_history
    WHEN EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = NEW.workspace_id)
        AND EXISTS (SELECT 1 FROM deal_stage_history l WHERE l.workspace_id = NEW.workspace_id AND l.deal_id = NEW.deal_id
            AND (l.at > NEW.at OR (l.at = NEW.at AND l.id > NEW.id))) BEGIN
    DELETE FROM report_stays WHERE deal_id = NEW.deal_id;
    INSERT INTO report_stays (history_id, workspace_id, deal_id, pipeline_id, currency, owner_key, created_day, stage_id, stay_ms)
        SELECT x.id, f.workspace_id, f.deal_id, f.pipeline_id, f.currency, f.owner_key, f.created_day, x.to_stage_id, x.next_at - x.at
        FROM (SELECT h.id, h.deal_id, h.to_stage_id, h.at, LEAD(h.at) OVER (ORDER BY h.at, h.id) AS next_at FROM deal_stage_history h
              WHERE h.workspace_id = NEW.workspace_id AND h.deal_id = NEW.deal_id) x
        JOIN report_deal_facts f ON f.deal_id = x.deal_id
        WHERE x.next_at IS NOT NULL;
END;

-- An entry changed or removed: the stays of the deal(s) it belongs to again from their history.
CREATE TRIGGER report_stays_history_au AFTER UPDATE OF workspace_id, deal_id, to_stage_id, at ON deal_stage_history
    WHEN EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id IN (OLD.workspace_id, NEW.workspace_id)) BEGIN
    DELETE FROM report_stays WHERE deal_id IN (OLD.deal_id, NEW.deal_id);
    INSERT INTO report_stays (history_id, workspace_id, deal_id, pipeline_id, currency, owner_key, created_day, stage_id, stay_ms)
        SELECT x.id, f.workspace_id, f.deal_id, f.pipeline_id, f.currency, f.owner_key, f.created_day, x.to_stage_id, x.next_at - x.at
        FROM (SELECT h.id, h.deal_id, h.to_stage_id, h.at, LEAD(h.at) OVER (PARTITION BY h.deal_id ORDER BY h.at, h.id) AS next_at FROM deal_stage_history h
              WHERE (h.workspace_id = OLD.workspace_id AND h.deal_id = OLD.deal_id) OR (h.workspace_id = NEW.workspace_id AND h.deal_id = NEW.deal_id)) x
        JOIN report_deal_facts f ON f.deal_id = x.deal_id
        WHERE x.next_at IS NOT NULL;
END;

CREATE TRIGGER report_stays_history_ad AFTER DELETE ON deal_stage_history
    WHEN EXISTS (SELECT 1 FROM report_rollup_state rs WHERE rs.workspace_id = OLD.workspace_id) BEGIN
    DELETE FROM report_stays WHERE deal_id = OLD.deal_id;
    INSERT INTO report_stays (history_id, workspace_id, deal_id, pipeline_id, currency, owner_key, created_day, stage_id, stay_ms)
        SELECT x.id, f.workspace_id, f.deal_id, f.pipeline_id, f.currency, f.owner_key, f.created_day, x.to_stage_id, x.next_at - x.at
        FROM (SELECT h.id, h.deal_id, h.to_stage_id, h.at, LEAD(h.at) OVER (ORDER BY h.at, h.id) AS next_at FROM deal_stage_history h
              WHERE h.workspace_id = OLD.workspace_id AND h.deal_id = OLD.deal_id) x
        JOIN report_deal_facts f ON f.deal_id = x.deal_id
        WHERE x.next_at IS NOT NULL;
END;

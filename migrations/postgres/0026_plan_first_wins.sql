-- Plan vs fact at scale (issue 8): "new clients" — clients (the company, else the contact) whose first won deal ever
-- closed in the period — without testing every won deal of the period against all of its client's other deals.
-- plan_first_wins keeps one row per client: its first won deal (live, won, closed; earliest closed_at, then lowest
-- id) with that deal's owner and close instant, so a period's new clients are one range of
-- plan_first_wins_closed_idx, grouped by owner.
--
-- Kept exact by triggers on deals, whoever writes (services, imports, merges, the seed, plain SQL): a change that can
-- move a client's first win — a won deal inserted or deleted; an update of the client, owner, status, close instant,
-- workspace or soft delete of a deal that is or was won — recomputes the first win of the client before and after
-- the change from the deals themselves (no before-image arithmetic). Deals that neither were nor are won never fire
-- it. No time zone is involved (the row keeps the instant), so the table is filled here and needs no rebuild.

CREATE TABLE plan_first_wins (
    workspace_id BIGINT NOT NULL,
    -- 'c': a company (client_id = deals.company_id); 'p': a contact of deals without a company (deals.contact_id).
    client_kind TEXT NOT NULL,
    client_id BIGINT NOT NULL,
    deal_id BIGINT NOT NULL,
    owner_user_id BIGINT,
    closed_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, client_kind, client_id)
);
-- A period's first wins by owner: one range, read from the index alone.
CREATE INDEX plan_first_wins_closed_idx ON plan_first_wins (workspace_id, closed_at, owner_user_id, deal_id);

-- A client's won deals in first-win order: the triggers' recompute is one probe (and so is the raw rows' check).
CREATE INDEX deals_company_wins_idx ON deals (workspace_id, company_id, closed_at, id)
    WHERE status = 'won' AND deleted_at IS NULL AND closed_at IS NOT NULL AND company_id IS NOT NULL;
CREATE INDEX deals_contact_wins_idx ON deals (workspace_id, contact_id, closed_at, id)
    WHERE status = 'won' AND deleted_at IS NULL AND closed_at IS NOT NULL AND company_id IS NULL AND contact_id IS NOT NULL;

-- The clients' first wins as they stand.
INSERT INTO plan_first_wins (workspace_id, client_kind, client_id, deal_id, owner_user_id, closed_at)
    SELECT x.workspace_id, 'c', x.company_id, x.id, x.owner_user_id, x.closed_at FROM (
        SELECT d.workspace_id, d.company_id, d.id, d.owner_user_id, d.closed_at,
            ROW_NUMBER() OVER (PARTITION BY d.workspace_id, d.company_id ORDER BY d.closed_at, d.id) AS rn
        FROM deals d WHERE d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL AND d.company_id IS NOT NULL) x
    WHERE x.rn = 1;
INSERT INTO plan_first_wins (workspace_id, client_kind, client_id, deal_id, owner_user_id, closed_at)
    SELECT x.workspace_id, 'p', x.contact_id, x.id, x.owner_user_id, x.closed_at FROM (
        SELECT d.workspace_id, d.contact_id, d.id, d.owner_user_id, d.closed_at,
            ROW_NUMBER() OVER (PARTITION BY d.workspace_id, d.contact_id ORDER BY d.closed_at, d.id) AS rn
        FROM deals d WHERE d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL AND d.company_id IS NULL
            AND d.contact_id IS NOT NULL) x
    WHERE x.rn = 1;

-- One client's first win from the deals as they stand. Writers of the same client take turns (a transaction-scoped
-- advisory lock on the client; each statement after it sees what the one before committed), so two deals of one
-- client won at once cannot both leave their own view of the first win.
CREATE FUNCTION plan_first_win_recompute(ws BIGINT, company BIGINT, contact BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF company IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock(727274026, (company % 2147483647)::integer);
        DELETE FROM plan_first_wins WHERE workspace_id = ws AND client_kind = 'c' AND client_id = company;
        INSERT INTO plan_first_wins (workspace_id, client_kind, client_id, deal_id, owner_user_id, closed_at)
            SELECT d.workspace_id, 'c', d.company_id, d.id, d.owner_user_id, d.closed_at FROM deals d
            WHERE d.workspace_id = ws AND d.company_id = company AND d.status = 'won' AND d.deleted_at IS NULL
                AND d.closed_at IS NOT NULL
            ORDER BY d.closed_at, d.id LIMIT 1;
    ELSIF contact IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock(727274027, (contact % 2147483647)::integer);
        DELETE FROM plan_first_wins WHERE workspace_id = ws AND client_kind = 'p' AND client_id = contact;
        INSERT INTO plan_first_wins (workspace_id, client_kind, client_id, deal_id, owner_user_id, closed_at)
            SELECT d.workspace_id, 'p', d.contact_id, d.id, d.owner_user_id, d.closed_at FROM deals d
            WHERE d.workspace_id = ws AND d.company_id IS NULL AND d.contact_id = contact AND d.status = 'won'
                AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL
            ORDER BY d.closed_at, d.id LIMIT 1;
    END IF;
END;
$$;

-- Deals: recompute the client of the row (before and after an update; two clients in a fixed order, so two writers
-- moving deals between the same two clients take the locks in the same order).
CREATE FUNCTION plan_first_win_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM plan_first_win_recompute(NEW.workspace_id, NEW.company_id, NEW.contact_id);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM plan_first_win_recompute(OLD.workspace_id, OLD.company_id, OLD.contact_id);
    ELSIF ROW(COALESCE(OLD.company_id, -1), COALESCE(OLD.contact_id, -1)) <= ROW(COALESCE(NEW.company_id, -1), COALESCE(NEW.contact_id, -1)) THEN
        PERFORM plan_first_win_recompute(OLD.workspace_id, OLD.company_id, OLD.contact_id);
        PERFORM plan_first_win_recompute(NEW.workspace_id, NEW.company_id, NEW.contact_id);
    ELSE
        PERFORM plan_first_win_recompute(NEW.workspace_id, NEW.company_id, NEW.contact_id);
        PERFORM plan_first_win_recompute(OLD.workspace_id, OLD.company_id, OLD.contact_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER plan_first_wins_ai AFTER INSERT ON deals FOR EACH ROW WHEN (NEW.status = 'won')
    EXECUTE FUNCTION plan_first_win_touch();
CREATE TRIGGER plan_first_wins_au AFTER UPDATE OF workspace_id, company_id, contact_id, owner_user_id, status, closed_at, deleted_at ON deals FOR EACH ROW
    WHEN (OLD.status = 'won' OR NEW.status = 'won') EXECUTE FUNCTION plan_first_win_touch();
CREATE TRIGGER plan_first_wins_ad AFTER DELETE ON deals FOR EACH ROW WHEN (OLD.status = 'won')
    EXECUTE FUNCTION plan_first_win_touch();

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
    workspace_id INTEGER NOT NULL,
    -- 'c': a company (client_id = deals.company_id); 'p': a contact of deals without a company (deals.contact_id).
    client_kind TEXT NOT NULL,
    client_id INTEGER NOT NULL,
    deal_id INTEGER NOT NULL,
    owner_user_id INTEGER,
    closed_at INTEGER NOT NULL,
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

-- Deals: recompute the client of the row (before and after an update).

CREATE TRIGGER plan_first_wins_ai AFTER INSERT ON deals WHEN NEW.status = 'won' BEGIN
    DELETE FROM plan_first_wins WHERE workspace_id = NEW.workspace_id AND client_kind = 'c' AND client_id = NEW.company_id;
    INSERT INTO plan_first_wins (workspace_id, client_kind, client_id, deal_id, owner_user_id, closed_at)
        SELECT d.workspace_id, 'c', d.company_id, d.id, d.owner_user_id, d.closed_at FROM deals d
        WHERE d.workspace_id = NEW.workspace_id AND d.company_id = NEW.company_id AND d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL
        ORDER BY d.closed_at, d.id LIMIT 1;
    DELETE FROM plan_first_wins WHERE NEW.company_id IS NULL AND workspace_id = NEW.workspace_id AND client_kind = 'p' AND client_id = NEW.contact_id;
    INSERT INTO plan_first_wins (workspace_id, client_kind, client_id, deal_id, owner_user_id, closed_at)
        SELECT d.workspace_id, 'p', d.contact_id, d.id, d.owner_user_id, d.closed_at FROM deals d
        WHERE NEW.company_id IS NULL AND d.workspace_id = NEW.workspace_id AND d.company_id IS NULL AND d.contact_id = NEW.contact_id AND d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL
        ORDER BY d.closed_at, d.id LIMIT 1;
END;

CREATE TRIGGER plan_first_wins_au AFTER UPDATE OF workspace_id, company_id, contact_id, owner_user_id, status, closed_at, deleted_at ON deals
    WHEN OLD.status = 'won' OR NEW.status = 'won' BEGIN
    DELETE FROM plan_first_wins WHERE workspace_id = OLD.workspace_id AND client_kind = 'c' AND client_id = OLD.company_id;
    INSERT INTO plan_first_wins (workspace_id, client_kind, client_id, deal_id, owner_user_id, closed_at)
        SELECT d.workspace_id, 'c', d.company_id, d.id, d.owner_user_id, d.closed_at FROM deals d
        WHERE d.workspace_id = OLD.workspace_id AND d.company_id = OLD.company_id AND d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL
        ORDER BY d.closed_at, d.id LIMIT 1;
    DELETE FROM plan_first_wins WHERE OLD.company_id IS NULL AND workspace_id = OLD.workspace_id AND client_kind = 'p' AND client_id = OLD.contact_id;
    INSERT INTO plan_first_wins (workspace_id, client_kind, client_id, deal_id, owner_user_id, closed_at)
        SELECT d.workspace_id, 'p', d.contact_id, d.id, d.owner_user_id, d.closed_at FROM deals d
        WHERE OLD.company_id IS NULL AND d.workspace_id = OLD.workspace_id AND d.company_id IS NULL AND d.contact_id = OLD.contact_id AND d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL
        ORDER BY d.closed_at, d.id LIMIT 1;
    DELETE FROM plan_first_wins WHERE workspace_id = NEW.workspace_id AND client_kind = 'c' AND client_id = NEW.company_id;
    INSERT INTO plan_first_wins (workspace_id, client_kind, client_id, deal_id, owner_user_id, closed_at)
        SELECT d.workspace_id, 'c', d.company_id, d.id, d.owner_user_id, d.closed_at FROM deals d
        WHERE d.workspace_id = NEW.workspace_id AND d.company_id = NEW.company_id AND d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL
        ORDER BY d.closed_at, d.id LIMIT 1;
    DELETE FROM plan_first_wins WHERE NEW.company_id IS NULL AND workspace_id = NEW.workspace_id AND client_kind = 'p' AND client_id = NEW.contact_id;
    INSERT INTO plan_first_wins (workspace_id, client_kind, client_id, deal_id, owner_user_id, closed_at)
        SELECT d.workspace_id, 'p', d.contact_id, d.id, d.owner_user_id, d.closed_at FROM deals d
        WHERE NEW.company_id IS NULL AND d.workspace_id = NEW.workspace_id AND d.company_id IS NULL AND d.contact_id = NEW.contact_id AND d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL
        ORDER BY d.closed_at, d.id LIMIT 1;
END;

CREATE TRIGGER plan_first_wins_ad AFTER DELETE ON deals WHEN OLD.status = 'won' BEGIN
    DELETE FROM plan_first_wins WHERE workspace_id = OLD.workspace_id AND client_kind = 'c' AND client_id = OLD.company_id;
    INSERT INTO plan_first_wins (workspace_id, client_kind, client_id, deal_id, owner_user_id, closed_at)
        SELECT d.workspace_id, 'c', d.company_id, d.id, d.owner_user_id, d.closed_at FROM deals d
        WHERE d.workspace_id = OLD.workspace_id AND d.company_id = OLD.company_id AND d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL
        ORDER BY d.closed_at, d.id LIMIT 1;
    DELETE FROM plan_first_wins WHERE OLD.company_id IS NULL AND workspace_id = OLD.workspace_id AND client_kind = 'p' AND client_id = OLD.contact_id;
    INSERT INTO plan_first_wins (workspace_id, client_kind, client_id, deal_id, owner_user_id, closed_at)
        SELECT d.workspace_id, 'p', d.contact_id, d.id, d.owner_user_id, d.closed_at FROM deals d
        WHERE OLD.company_id IS NULL AND d.workspace_id = OLD.workspace_id AND d.company_id IS NULL AND d.contact_id = OLD.contact_id AND d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL
        ORDER BY d.closed_at, d.id LIMIT 1;
END;

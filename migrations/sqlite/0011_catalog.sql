-- Catalog (DEAL-3): products, price lists with a price per product, discount schemes, the lines of a deal (what it
-- sells: quantity, price, discount, amount), the per-role maximum discount and the head's approval of a discount
-- above it. Money is integer minor units; quantities are thousandths (quantity_milli); percents are basis points.

CREATE TABLE products (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- The article, unique per workspace (what documents and imports name the product by).
    sku TEXT NOT NULL,
    -- Unit of measure as printed: "шт", "м", "м²", "компл.".
    unit TEXT NOT NULL DEFAULT 'шт',
    description TEXT NOT NULL DEFAULT '',
    -- VAT in basis points (2000 = 20 %); prices include it.
    vat_rate_bp INTEGER NOT NULL DEFAULT 2000,
    -- Made to order: a shipment of it is handed off to production first (DEAL-8).
    made_to_order INTEGER NOT NULL DEFAULT 0,
    -- Case-folded name and SKU: what the product list's text filter matches.
    search_text TEXT NOT NULL DEFAULT '',
    archived_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX products_sku_uq ON products (workspace_id, sku);
CREATE INDEX products_name_idx ON products (workspace_id, name, id);

CREATE TABLE price_lists (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    currency TEXT NOT NULL DEFAULT 'RUB',
    -- A company segment (one of its tags) this list is for; '' = every client.
    client_segment TEXT NOT NULL DEFAULT '',
    -- The list a deal's lines take prices from when no segment list fits; one live default per workspace.
    is_default INTEGER NOT NULL DEFAULT 0,
    archived_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);

CREATE TABLE price_list_items (
    workspace_id INTEGER NOT NULL,
    price_list_id INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    price_minor INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, price_list_id, product_id),
    FOREIGN KEY (workspace_id, price_list_id) REFERENCES price_lists (workspace_id, id),
    FOREIGN KEY (workspace_id, product_id) REFERENCES products (workspace_id, id)
);

CREATE TABLE discount_schemes (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- 'volume' (quantity tiers), 'segment' (a client segment), 'promotion' (a percent between two dates).
    kind TEXT NOT NULL,
    -- The percent of segment and promotion schemes, in basis points.
    discount_bp INTEGER NOT NULL DEFAULT 0,
    -- volume: JSON array [{"min_quantity_milli": 10000, "discount_bp": 500}, ...] by threshold.
    tiers TEXT NOT NULL DEFAULT '[]',
    -- segment: the company tag it applies to.
    client_segment TEXT NOT NULL DEFAULT '',
    -- Limits the scheme to one product; NULL = every product.
    product_id INTEGER,
    -- promotion: YYYY-MM-DD, inclusive, in the workspace's calendar.
    valid_from TEXT,
    valid_to TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    archived_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, product_id) REFERENCES products (workspace_id, id)
);

-- What a deal sells. Other rooms (billing, shipments) read these columns by name: keep them.
CREATE TABLE deal_lines (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    deal_id INTEGER NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    -- The catalog product; NULL for a free-text line. name, sku and unit are copied, so the line keeps its words.
    product_id INTEGER,
    name TEXT NOT NULL,
    sku TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    -- Quantity × 1000 (> 0).
    quantity_milli INTEGER NOT NULL,
    unit_price_minor INTEGER NOT NULL,
    -- 0..10000 basis points.
    discount_bp INTEGER NOT NULL DEFAULT 0,
    vat_rate_bp INTEGER NOT NULL DEFAULT 0,
    -- quantity × price × (1 − discount), rounded half up to minor units (catalog::LineAmount).
    amount_minor INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    CHECK (quantity_milli > 0),
    CHECK (unit_price_minor >= 0),
    CHECK (discount_bp >= 0 AND discount_bp <= 10000),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id),
    FOREIGN KEY (workspace_id, product_id) REFERENCES products (workspace_id, id)
);
CREATE INDEX deal_lines_deal_idx ON deal_lines (workspace_id, deal_id, position, id);
CREATE INDEX deal_lines_product_idx ON deal_lines (workspace_id, product_id);

-- The most a role may give without the head's approval, per role code; NULL = no limit. A role without a row
-- falls back to the built-in default (catalog::DefaultDiscountLimit).
CREATE TABLE discount_limits (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    role_code TEXT NOT NULL,
    max_discount_bp INTEGER,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, role_code)
);

-- A discount above the requester's limit waits for the head: request → approve / reject with a comment. The deal's
-- latest row that is not withdrawn is its approval state; pending or rejected keeps it out of won and decision stages.
CREATE TABLE discount_approvals (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    deal_id INTEGER NOT NULL,
    -- 'pending', 'approved', 'rejected', 'withdrawn'.
    status TEXT NOT NULL DEFAULT 'pending',
    -- The largest line discount asked for, and the requester's own limit then (NULL = none).
    discount_bp INTEGER NOT NULL,
    limit_bp INTEGER,
    requested_by INTEGER,
    request_comment TEXT NOT NULL DEFAULT '',
    requested_at INTEGER NOT NULL,
    decided_by INTEGER,
    decision_comment TEXT NOT NULL DEFAULT '',
    decided_at INTEGER,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id),
    FOREIGN KEY (workspace_id, requested_by) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, decided_by) REFERENCES users (workspace_id, id)
);
CREATE INDEX discount_approvals_deal_idx ON discount_approvals (workspace_id, deal_id, id);
CREATE INDEX discount_approvals_status_idx ON discount_approvals (workspace_id, status, id);

-- Catalog rights for the roles of workspaces made before this room (new workspaces get them from the role catalog):
-- heads manage products and decide discounts, sellers and supervisors read products, the analyst reads and exports.
UPDATE roles SET permissions = json_set(permissions, '$.product',
        json('["create", "read", "update", "delete", "export", "assign"]'), '$.discount',
        json('["create", "read", "update", "delete", "export", "assign"]'))
    WHERE system = 1 AND code IN ('sales_leader', 'head_of_sales') AND json_extract(permissions, '$.product') IS NULL;
UPDATE roles SET permissions = json_set(permissions, '$.product', json('["read"]'))
    WHERE system = 1 AND json_extract(permissions, '$.product') IS NULL AND code IN ('key_account_manager',
        'account_manager', 'channel_manager', 'business_development_manager', 'strategic_sales_manager',
        'solution_sales_manager', 'transactional_sales_manager', 'sales_manager', 'automotive_consultant',
        'retail_consultant', 'designer_manager', 'ecommerce_manager', 'supervisor');
UPDATE roles SET permissions = json_set(permissions, '$.product', json('["read", "export"]'))
    WHERE system = 1 AND code = 'sales_analyst' AND json_extract(permissions, '$.product') IS NULL;

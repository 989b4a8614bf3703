-- Shipments (DEAL-8): one or more per deal, each carrying items taken from the deal's lines, with a planned day, the
-- days it actually left, arrived and came back, an address and the carrier's tracking, and a status (preparing,
-- shipped, delivered, returned); and the hand-off of a shipment's made-to-order items to production. Quantities are
-- thousandths (quantity_milli); days are YYYY-MM-DD in the workspace's calendar.

CREATE TABLE shipments (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    deal_id INTEGER NOT NULL,
    -- 'preparing', 'shipped', 'delivered', 'returned'.
    status TEXT NOT NULL DEFAULT 'preparing',
    planned_date TEXT NOT NULL,
    actual_date TEXT,
    delivered_date TEXT,
    returned_date TEXT,
    address TEXT NOT NULL DEFAULT '',
    carrier TEXT NOT NULL DEFAULT '',
    tracking TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id),
    FOREIGN KEY (workspace_id, created_by) REFERENCES users (workspace_id, id)
);
CREATE INDEX shipments_deal_idx ON shipments (workspace_id, deal_id, id);
-- The overdue list: shipments still being prepared, by planned day.
CREATE INDEX shipments_status_idx ON shipments (workspace_id, status, planned_date, id);

-- What a shipment carries. The deal line is named by id without a foreign key (the catalog room rewrites and deletes
-- lines); the line's words and whether its product is made to order are copied when the item is written.
CREATE TABLE shipment_items (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    shipment_id INTEGER NOT NULL,
    deal_line_id INTEGER NOT NULL,
    product_id INTEGER,
    name TEXT NOT NULL,
    sku TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    quantity_milli INTEGER NOT NULL,
    made_to_order INTEGER NOT NULL DEFAULT 0,
    UNIQUE (workspace_id, id),
    CHECK (quantity_milli > 0),
    FOREIGN KEY (workspace_id, shipment_id) REFERENCES shipments (workspace_id, id)
);
CREATE INDEX shipment_items_shipment_idx ON shipment_items (workspace_id, shipment_id, id);
CREATE INDEX shipment_items_line_idx ON shipment_items (workspace_id, deal_line_id);

-- A shipment's made-to-order items handed off to production (one request per shipment): requested, then in
-- production, then ready — and only then may the shipment leave.
CREATE TABLE production_requests (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    deal_id INTEGER NOT NULL,
    shipment_id INTEGER NOT NULL,
    -- 'requested', 'in_production', 'ready'.
    status TEXT NOT NULL DEFAULT 'requested',
    note TEXT NOT NULL DEFAULT '',
    requested_by INTEGER,
    requested_at INTEGER NOT NULL,
    started_at INTEGER,
    ready_at INTEGER,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id),
    FOREIGN KEY (workspace_id, shipment_id) REFERENCES shipments (workspace_id, id),
    FOREIGN KEY (workspace_id, requested_by) REFERENCES users (workspace_id, id)
);
CREATE UNIQUE INDEX production_requests_shipment_uq ON production_requests (workspace_id, shipment_id);
CREATE INDEX production_requests_status_idx ON production_requests (workspace_id, status, id);

-- Production rights for the heads' roles of workspaces made before this room (new workspaces, and the production
-- manager's role, come from the role catalog).
UPDATE roles SET permissions = json_set(permissions, '$.production',
        json('["create", "read", "update", "delete", "export", "assign"]'))
    WHERE system = 1 AND code IN ('sales_leader', 'head_of_sales') AND json_extract(permissions, '$.production') IS NULL;

-- Billing (DEAL-5, DEAL-7): invoices made from deals (numbered per workspace when issued, lines copied as a
-- snapshot, VAT per line), payments against them (typed in or imported from a bank statement), instalment
-- schedules with their client reminders, and the workspace's billing settings. Money is integer minor units;
-- quantities are thousandths; rates and discounts are basis points; dates are YYYY-MM-DD in the workspace's calendar.
-- Invoices and payments have no owner of their own: visibility follows the deal's owner (joined in every query).

CREATE TABLE billing_settings (
    workspace_id INTEGER PRIMARY KEY REFERENCES workspaces (id),
    -- "{year}" is replaced by the issue year: each distinct prefix is a series of its own (invoice_counters).
    number_prefix TEXT NOT NULL DEFAULT '{year}-',
    number_digits INTEGER NOT NULL DEFAULT 6,
    -- A payment above what an invoice still owes is refused unless this is on.
    allow_overpayment INTEGER NOT NULL DEFAULT 0,
    default_due_days INTEGER NOT NULL DEFAULT 5,
    updated_at INTEGER NOT NULL
);

-- The last number given in each series. Taken with UPDATE … +1 inside the issuing transaction: the row lock
-- serialises concurrent issues on PostgreSQL, a rollback gives the number back, so the series has no gaps.
CREATE TABLE invoice_counters (
    workspace_id INTEGER NOT NULL,
    series TEXT NOT NULL,
    last_number INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, series)
);

CREATE TABLE invoices (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    deal_id INTEGER NOT NULL,
    -- NULL while a draft; given at issue ("2026-000123") and never reused.
    number TEXT,
    series TEXT,
    seq INTEGER,
    -- 'draft', 'issued', 'cancelled'; paid / partially paid / overdue are derived from the money and the dates.
    state TEXT NOT NULL DEFAULT 'draft',
    issue_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    -- The earliest date money is due and not covered (the first unpaid instalment's, else due_date): what the
    -- overdue lists compare with today. Kept by the service with every payment and schedule change.
    next_due_date TEXT NOT NULL,
    currency TEXT NOT NULL DEFAULT 'RUB',
    -- bank_transfer, letter_of_credit, cheque, collection, open_account, commodity_credit, cash_card.
    payment_form TEXT NOT NULL DEFAULT 'bank_transfer',
    -- 1: line prices include VAT ("в т.ч. НДС"); 0: VAT is added on top.
    vat_included INTEGER NOT NULL DEFAULT 1,
    net_minor INTEGER NOT NULL DEFAULT 0,
    vat_minor INTEGER NOT NULL DEFAULT 0,
    total_minor INTEGER NOT NULL DEFAULT 0,
    -- The sum of the invoice's live payments.
    paid_minor INTEGER NOT NULL DEFAULT 0,
    -- The payer, copied from the deal's client when the invoice is made (what bank rows are matched by).
    company_id INTEGER,
    contact_id INTEGER,
    payer_name TEXT NOT NULL DEFAULT '',
    payer_inn TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    cancel_reason TEXT NOT NULL DEFAULT '',
    -- Case-folded number, deal title and payer: what the list's text filter matches.
    search_text TEXT NOT NULL DEFAULT '',
    issued_at INTEGER,
    paid_at INTEGER,
    cancelled_at INTEGER,
    -- Set by the miss job of an invoice without a schedule when its due date passed unpaid.
    overdue_at INTEGER,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    CHECK (paid_minor >= 0),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id),
    FOREIGN KEY (workspace_id, company_id) REFERENCES companies (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id)
);
CREATE UNIQUE INDEX invoices_number_uq ON invoices (workspace_id, number);
CREATE INDEX invoices_deal_idx ON invoices (workspace_id, deal_id, id);
-- The overdue lists: issued invoices by the date money is next due.
CREATE INDEX invoices_due_idx ON invoices (workspace_id, state, next_due_date, id);

CREATE TABLE invoice_lines (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    product_id INTEGER,
    name TEXT NOT NULL,
    sku TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    quantity_milli INTEGER NOT NULL,
    unit_price_minor INTEGER NOT NULL,
    discount_bp INTEGER NOT NULL DEFAULT 0,
    -- NULL: without VAT.
    vat_rate_bp INTEGER,
    vat_minor INTEGER NOT NULL DEFAULT 0,
    amount_minor INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    CHECK (quantity_milli > 0),
    CHECK (unit_price_minor >= 0),
    CHECK (discount_bp >= 0 AND discount_bp <= 10000),
    FOREIGN KEY (workspace_id, invoice_id) REFERENCES invoices (workspace_id, id)
);
CREATE INDEX invoice_lines_invoice_idx ON invoice_lines (workspace_id, invoice_id, position);

-- DEAL-7: the dues of an invoice, in date order; a schedule is replaced whole.
CREATE TABLE invoice_instalments (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    due_date TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    -- Set by the miss job when the due date passed unpaid (the seller was told).
    overdue_at INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    CHECK (amount_minor > 0),
    FOREIGN KEY (workspace_id, invoice_id) REFERENCES invoices (workspace_id, id)
);
CREATE INDEX invoice_instalments_invoice_idx ON invoice_instalments (workspace_id, invoice_id, position);

-- What a bank statement upload did, row by row (the report people read afterwards).
CREATE TABLE bank_imports (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL DEFAULT '',
    rows_total INTEGER NOT NULL DEFAULT 0,
    matched INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    unmatched INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    -- JSON array of {line, date, amount_minor, payer_inn, purpose, reference, result, invoice_id, payment_id, …}.
    report TEXT NOT NULL DEFAULT '[]',
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE INDEX bank_imports_ws_idx ON bank_imports (workspace_id, id);

CREATE TABLE payments (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL,
    paid_on TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL DEFAULT 'RUB',
    method TEXT NOT NULL DEFAULT 'bank_transfer',
    reference TEXT NOT NULL DEFAULT '',
    payer_inn TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    -- 'manual' or 'bank_import'.
    source TEXT NOT NULL DEFAULT 'manual',
    bank_import_id INTEGER,
    -- An imported row's identity (its reference, else a digest of the row): a re-import skips it.
    import_key TEXT,
    -- A payment entered by mistake is reversed (kept, with who and when, out of every sum).
    deleted_at INTEGER,
    deleted_by INTEGER,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    CHECK (amount_minor > 0),
    FOREIGN KEY (workspace_id, invoice_id) REFERENCES invoices (workspace_id, id)
);
CREATE INDEX payments_invoice_idx ON payments (workspace_id, invoice_id, id);
CREATE UNIQUE INDEX payments_import_key_uq ON payments (workspace_id, import_key) WHERE import_key IS NOT NULL;

-- The client reminders of DEAL-7, one row per (due, reminder, channel): a job that runs twice sends once.
CREATE TABLE billing_reminders (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL,
    instalment_id INTEGER NOT NULL,
    -- 'mid_term' or 'day_before'.
    kind TEXT NOT NULL,
    -- 'email' or 'sms'.
    channel TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    -- 'pending', 'sent', 'skipped' (no address, channel off) or 'failed'.
    status TEXT NOT NULL DEFAULT 'pending',
    error TEXT NOT NULL DEFAULT '',
    sent_at INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX billing_reminders_uq ON billing_reminders (workspace_id, instalment_id, kind, channel);
CREATE INDEX billing_reminders_invoice_idx ON billing_reminders (workspace_id, invoice_id);

-- Rights on the new objects for the catalog's roles in existing workspaces (new ones get them from the catalog).
UPDATE roles SET permissions = json_set(permissions, '$.invoice', json('["create","read","update","delete","export","assign"]'),
    '$.payment', json('["create","read","update","delete","export","assign"]'))
WHERE system = 1 AND code IN ('sales_leader', 'head_of_sales') AND json_extract(permissions, '$.invoice') IS NULL;
UPDATE roles SET permissions = json_set(permissions, '$.invoice', json('["create","read","update"]'),
    '$.payment', json('["read"]'))
WHERE system = 1 AND code IN ('key_account_manager', 'account_manager', 'channel_manager',
    'business_development_manager', 'strategic_sales_manager', 'solution_sales_manager',
    'transactional_sales_manager', 'sales_manager', 'automotive_consultant', 'retail_consultant',
    'designer_manager', 'ecommerce_manager')
  AND json_extract(permissions, '$.invoice') IS NULL;
UPDATE roles SET permissions = json_set(permissions, '$.invoice', json('["read","export"]'),
    '$.payment', json('["read","export"]'))
WHERE system = 1 AND code = 'sales_analyst' AND json_extract(permissions, '$.invoice') IS NULL;
UPDATE roles SET permissions = json_set(permissions, '$.invoice', json('["read"]'), '$.payment', json('["read"]'))
WHERE system = 1 AND code = 'supervisor' AND json_extract(permissions, '$.invoice') IS NULL;

-- Documents (DEAL-4): the workspace's requisites and logo (printed on proposals and invoices), proposal templates,
-- proposals generated for a deal as versioned PDFs, and contracts with their uploaded files. File bytes live in the
-- database (document_files), base64 in TEXT on both engines, so one backup holds everything and every node of a
-- PostgreSQL installation serves them.

CREATE TABLE document_files (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    -- 'image/png', 'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'.
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    -- Lower-case hex SHA-256 of the bytes (ETag, integrity).
    sha256 TEXT NOT NULL,
    -- The bytes, base64 (RFC 4648, no line breaks).
    content_b64 TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);

CREATE TABLE document_settings (
    workspace_id INTEGER PRIMARY KEY REFERENCES workspaces (id),
    legal_name TEXT NOT NULL DEFAULT '',
    inn TEXT NOT NULL DEFAULT '',
    kpp TEXT NOT NULL DEFAULT '',
    ogrn TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    bank_name TEXT NOT NULL DEFAULT '',
    bik TEXT NOT NULL DEFAULT '',
    account TEXT NOT NULL DEFAULT '',
    corr_account TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    -- Who signs documents for the company: "Генеральный директор", "Иванов И. И.".
    signer_title TEXT NOT NULL DEFAULT '',
    signer_name TEXT NOT NULL DEFAULT '',
    -- The logo: a PNG checked on upload (document_files row), NULL when none.
    logo_file_id INTEGER,
    updated_by INTEGER,
    updated_at INTEGER NOT NULL,
    FOREIGN KEY (workspace_id, logo_file_id) REFERENCES document_files (workspace_id, id)
);

CREATE TABLE proposal_templates (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- Texts with placeholders ({{client.name}}, {{deal.title}}, {{owner.name}}, {{valid_until}}…), checked on save.
    intro_text TEXT NOT NULL DEFAULT '',
    terms_text TEXT NOT NULL DEFAULT '',
    validity_days INTEGER NOT NULL DEFAULT 14,
    archived_at INTEGER,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE INDEX proposal_templates_ws_idx ON proposal_templates (workspace_id, archived_at, name);

CREATE TABLE proposals (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    deal_id INTEGER NOT NULL,
    -- 1, 2, 3… per deal: every generation is a new version; old ones stay downloadable.
    version INTEGER NOT NULL,
    template_id INTEGER,
    title TEXT NOT NULL,
    -- The texts as printed (placeholders filled in).
    intro_text TEXT NOT NULL DEFAULT '',
    terms_text TEXT NOT NULL DEFAULT '',
    -- YYYY-MM-DD in the workspace's calendar.
    valid_until TEXT NOT NULL,
    total_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    line_count INTEGER NOT NULL,
    -- 'deal_lines' (the deal's lines) or 'deal_amount' (one line of the deal's amount: the deal has no lines).
    lines_source TEXT NOT NULL,
    -- 'draft', 'sent' (sending by e-mail comes later; the status is set by hand for now).
    status TEXT NOT NULL DEFAULT 'draft',
    sent_at INTEGER,
    file_id INTEGER NOT NULL,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id),
    FOREIGN KEY (workspace_id, template_id) REFERENCES proposal_templates (workspace_id, id),
    FOREIGN KEY (workspace_id, file_id) REFERENCES document_files (workspace_id, id)
);
CREATE UNIQUE INDEX proposals_version_uq ON proposals (workspace_id, deal_id, version);

CREATE TABLE contracts (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    deal_id INTEGER NOT NULL,
    -- 'sale', 'supply', 'distribution', 'services'.
    kind TEXT NOT NULL,
    -- Unique per workspace among live contracts, as typed (trimmed).
    number TEXT NOT NULL,
    -- YYYY-MM-DD; valid_to >= valid_from when both are set.
    signed_on TEXT,
    valid_from TEXT,
    valid_to TEXT,
    terms TEXT NOT NULL DEFAULT '',
    -- 'draft', 'signed', 'terminated'.
    status TEXT NOT NULL DEFAULT 'draft',
    -- The uploaded file (PDF or DOCX, checked by content), NULL until one is uploaded.
    file_id INTEGER,
    file_name TEXT NOT NULL DEFAULT '',
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id),
    FOREIGN KEY (workspace_id, file_id) REFERENCES document_files (workspace_id, id)
);
CREATE INDEX contracts_deal_idx ON contracts (workspace_id, deal_id, id);
CREATE UNIQUE INDEX contracts_number_uq ON contracts (workspace_id, number) WHERE deleted_at IS NULL;

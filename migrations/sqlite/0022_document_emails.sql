-- Sending proposals and invoices by e-mail (issue 6 items 4–5): the workspace's e-mail templates per kind of document
-- and language, and one row per send — the outbox the durable job `documents.send_email` works from. The PDF sent is
-- a document_files row (a proposal's own file, an invoice rendered when it was sent), so a retried job sends exactly
-- what the user saw acknowledged.

CREATE TABLE document_mail_templates (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    -- 'proposal', 'invoice'.
    kind TEXT NOT NULL,
    -- 'ru', 'en'.
    lang TEXT NOT NULL,
    -- Texts with placeholders ({{document.number}}, {{company.name}}…), checked on save.
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_by INTEGER,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, kind, lang)
);

CREATE TABLE document_emails (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    deal_id INTEGER NOT NULL,
    -- 'proposal' (proposal_id set) or 'invoice' (invoice_id set).
    kind TEXT NOT NULL,
    proposal_id INTEGER,
    invoice_id INTEGER,
    -- JSON arrays of normalised addresses.
    to_list TEXT NOT NULL,
    cc_list TEXT NOT NULL DEFAULT '[]',
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    lang TEXT NOT NULL,
    file_id INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    -- The sender's SMTP account (activities' email_accounts) and its From, as chosen when the send was accepted.
    account_id INTEGER NOT NULL,
    from_address TEXT NOT NULL,
    -- Without angle brackets; the same on every attempt.
    message_id TEXT NOT NULL,
    -- 'queued' (accepted, the job sends it; a failed attempt keeps it queued with last_error until the job gives up),
    -- 'sent', 'failed' (the job gave up or the failure cannot be retried; a person may retry it).
    status TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    -- The e-mail activity on the deal's (and its client's) timeline.
    activity_id INTEGER,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id),
    FOREIGN KEY (workspace_id, proposal_id) REFERENCES proposals (workspace_id, id),
    FOREIGN KEY (workspace_id, invoice_id) REFERENCES invoices (workspace_id, id),
    FOREIGN KEY (workspace_id, file_id) REFERENCES document_files (workspace_id, id)
);
CREATE INDEX document_emails_proposal_idx ON document_emails (workspace_id, proposal_id, id);
CREATE INDEX document_emails_invoice_idx ON document_emails (workspace_id, invoice_id, id);

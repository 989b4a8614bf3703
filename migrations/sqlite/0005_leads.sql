-- Leads (LEAD-1 … LEAD-3) and their intake channels: website forms with a public key, signed webhooks
-- (telephony, Telegram, generic), IMAP mailboxes; the replay guard of signed webhooks and the Idempotency-Key
-- store of public endpoints. Phones and e-mails of a lead are contact_points rows (subject_type 'lead').

CREATE TABLE leads (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    -- 'new', 'in_work', 'qualified', 'converted', 'junk'.
    status TEXT NOT NULL DEFAULT 'new',
    -- With status 'junk': 'spam', 'duplicate', 'not_our_product', 'no_contact', 'test', 'other'.
    junk_reason TEXT,
    junk_comment TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    -- The request as the client wrote or said it.
    request_text TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    company_name TEXT NOT NULL DEFAULT '',
    inn TEXT,
    -- 'form', 'email', 'phone', 'telegram', 'webhook', 'manual', 'import'.
    channel TEXT NOT NULL,
    -- Which form / mailbox / line / bot / network it came through (intake_forms or intake_channels id), if any.
    intake_form_id INTEGER,
    intake_channel_id INTEGER,
    -- The channel's own id (Message-ID, call id, update id, marketplace order id).
    external_ref TEXT,
    campaign TEXT NOT NULL DEFAULT '',
    utm_source TEXT NOT NULL DEFAULT '',
    utm_medium TEXT NOT NULL DEFAULT '',
    utm_campaign TEXT NOT NULL DEFAULT '',
    utm_content TEXT NOT NULL DEFAULT '',
    utm_term TEXT NOT NULL DEFAULT '',
    referrer TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    product TEXT NOT NULL DEFAULT '',
    -- The explained priority (LEAD-3): score and the JSON array of reasons that make it up.
    priority_score INTEGER NOT NULL DEFAULT 0,
    priority_reasons TEXT NOT NULL DEFAULT '[]',
    custom TEXT NOT NULL DEFAULT '{}',
    owner_user_id INTEGER,
    -- The known client this lead belongs to (matched on intake by phone, e-mail or INN, or chosen by hand).
    company_id INTEGER,
    contact_id INTEGER,
    -- Set on conversion: the client and person the lead became.
    converted_at INTEGER,
    converted_company_id INTEGER,
    converted_contact_id INTEGER,
    -- How many repeat requests were attached to this open lead instead of opening a new one.
    repeat_count INTEGER NOT NULL DEFAULT 0,
    last_request_at INTEGER NOT NULL,
    merged_into_id INTEGER,
    deleted_at INTEGER,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, owner_user_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, company_id) REFERENCES companies (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, converted_company_id) REFERENCES companies (workspace_id, id),
    FOREIGN KEY (workspace_id, converted_contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, merged_into_id) REFERENCES leads (workspace_id, id)
);
-- The inbox: open leads by priority, newest first inside a score.
CREATE INDEX leads_inbox_idx ON leads (workspace_id, status, priority_score, id);
CREATE INDEX leads_owner_idx ON leads (workspace_id, owner_user_id, status, id);
CREATE INDEX leads_company_idx ON leads (workspace_id, company_id);
CREATE INDEX leads_contact_idx ON leads (workspace_id, contact_id);
CREATE INDEX leads_created_idx ON leads (workspace_id, created_at, id);
CREATE UNIQUE INDEX leads_external_uq ON leads (workspace_id, channel, external_ref) WHERE external_ref IS NOT NULL;

-- Website forms (LEAD-1a): the public key goes into the embed snippet and the public endpoint's URL.
CREATE TABLE intake_forms (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    public_key TEXT NOT NULL,
    -- JSON array of origins allowed by CORS, e.g. ["https://example.ru"]; '[]' allows none (server-to-server only).
    allowed_origins TEXT NOT NULL DEFAULT '[]',
    -- A hidden field bots fill in and people do not; a submission with it non-empty is accepted and dropped.
    honeypot_field TEXT NOT NULL DEFAULT 'website',
    rate_per_ip_per_min INTEGER NOT NULL DEFAULT 10,
    rate_per_key_per_min INTEGER NOT NULL DEFAULT 600,
    campaign TEXT NOT NULL DEFAULT '',
    default_owner_user_id INTEGER,
    -- Where the visitor lands after a plain (non-JS) HTML form post; '' answers JSON.
    success_url TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, default_owner_user_id) REFERENCES users (workspace_id, id)
);
CREATE UNIQUE INDEX intake_forms_key_uq ON intake_forms (public_key);

-- Signed webhooks and mailboxes (LEAD-1b…d): 'telephony', 'telegram', 'webhook', 'imap'.
CREATE TABLE intake_channels (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    -- The unguessable path segment of the channel's public URL.
    public_token TEXT NOT NULL,
    -- HMAC key (telephony, webhook) or Telegram's secret_token; IMAP password. Never returned by the API.
    secret TEXT NOT NULL DEFAULT '',
    -- Kind-specific settings (IMAP host, port, tls, user, folder; webhook source name; Telegram bot name).
    config TEXT NOT NULL DEFAULT '{}',
    -- Polling position of an IMAP mailbox: {"uidvalidity": n, "last_uid": n}.
    poll_cursor TEXT NOT NULL DEFAULT '{}',
    default_owner_user_id INTEGER,
    last_error TEXT NOT NULL DEFAULT '',
    last_polled_at INTEGER,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, default_owner_user_id) REFERENCES users (workspace_id, id)
);
CREATE UNIQUE INDEX intake_channels_token_uq ON intake_channels (public_token);

-- Replay guard of signed webhooks: a (channel, nonce/event id) seen once inside the accepted time window.
CREATE TABLE intake_replay (
    workspace_id INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    nonce TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, channel_id, nonce)
);
CREATE INDEX intake_replay_received_idx ON intake_replay (received_at);

-- Idempotency-Key store of POST endpoints: the first answer is replayed for 24 hours.
CREATE TABLE idempotency_keys (
    workspace_id INTEGER NOT NULL,
    -- Who may reuse the key: 'form:<id>', 'user:<id>', 'channel:<id>'.
    scope TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    -- SHA-256 of the request body: the same key with another body is a 422.
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, scope, idem_key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

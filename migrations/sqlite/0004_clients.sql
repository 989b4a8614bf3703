-- Clients (CLIENT-1, CLIENT-2, CLIENT-5): companies and people (contacts) linked many-to-many with a position,
-- their phones and e-mails as normalised contact points (the dedupe keys), workspace-defined custom fields,
-- inbound timeline events, merge records and the search documents behind full-text search.
-- Companies and contacts are soft-deleted (deleted_at) and, when merged, point at the survivor (merged_into_id).

CREATE TABLE companies (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    -- 'ooo', 'ao', 'pao', 'ip', 'gov', 'other' or '' (unknown); a sole trader (ip) has a 12-digit INN and OGRNIP.
    legal_form TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    full_name TEXT NOT NULL DEFAULT '',
    inn TEXT,
    kpp TEXT,
    ogrn TEXT,
    legal_address TEXT NOT NULL DEFAULT '',
    actual_address TEXT NOT NULL DEFAULT '',
    -- {"bank_name", "bik", "account", "corr_account"}: validated by the service (BIK 9 digits, account key check).
    bank_details TEXT NOT NULL DEFAULT '{}',
    -- 'stable', 'growing', 'declining', 'troubled' or '' (unknown).
    financial_state TEXT NOT NULL DEFAULT '',
    purchase_volume_minor INTEGER,
    currency TEXT NOT NULL DEFAULT 'RUB',
    -- 'good', 'late', 'bad' or '' (unknown).
    payment_discipline TEXT NOT NULL DEFAULT '',
    preferences TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    -- JSON array of strings.
    tags TEXT NOT NULL DEFAULT '[]',
    -- JSON object: custom field code -> value (see custom_fields).
    custom TEXT NOT NULL DEFAULT '{}',
    owner_user_id INTEGER,
    source_lead_id INTEGER,
    merged_into_id INTEGER,
    deleted_at INTEGER,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, owner_user_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, merged_into_id) REFERENCES companies (workspace_id, id)
);
CREATE INDEX companies_owner_idx ON companies (workspace_id, owner_user_id, id);
CREATE INDEX companies_inn_idx ON companies (workspace_id, inn);
CREATE INDEX companies_name_idx ON companies (workspace_id, name, id);
-- A seller's own list sorted by name: the owner's rows come out in order, no sort step (scope own).
CREATE INDEX companies_owner_name_idx ON companies (workspace_id, owner_user_id, name, id);
CREATE INDEX companies_updated_idx ON companies (workspace_id, updated_at, id);

CREATE TABLE contacts (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    last_name TEXT NOT NULL DEFAULT '',
    first_name TEXT NOT NULL DEFAULT '',
    middle_name TEXT NOT NULL DEFAULT '',
    -- 'Фамилия Имя Отчество' as shown and sorted; kept by the service.
    full_name TEXT NOT NULL,
    -- 'YYYY-MM-DD' or 'MM-DD' when the year is unknown.
    birthday TEXT,
    preferences TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    custom TEXT NOT NULL DEFAULT '{}',
    owner_user_id INTEGER,
    source_lead_id INTEGER,
    merged_into_id INTEGER,
    deleted_at INTEGER,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, owner_user_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, merged_into_id) REFERENCES contacts (workspace_id, id)
);
CREATE INDEX contacts_owner_idx ON contacts (workspace_id, owner_user_id, id);
CREATE INDEX contacts_name_idx ON contacts (workspace_id, full_name, id);
CREATE INDEX contacts_owner_name_idx ON contacts (workspace_id, owner_user_id, full_name, id);
CREATE INDEX contacts_updated_idx ON contacts (workspace_id, updated_at, id);

-- A person's place in a company: position, and whether they take part in the buying decision.
CREATE TABLE company_contacts (
    workspace_id INTEGER NOT NULL,
    company_id INTEGER NOT NULL,
    contact_id INTEGER NOT NULL,
    position TEXT NOT NULL DEFAULT '',
    -- 'decision_maker', 'influencer', 'user', 'gatekeeper' or '' (unknown).
    decision_role TEXT NOT NULL DEFAULT '',
    is_primary INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, company_id, contact_id),
    FOREIGN KEY (workspace_id, company_id) REFERENCES companies (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id)
);
CREATE INDEX company_contacts_contact_idx ON company_contacts (workspace_id, contact_id);

-- Phones and e-mails of companies, contacts and leads. `value` is the normalised key (E.164 '+79123456789',
-- lower-cased e-mail) that dedupe looks up; `raw` is what the user or the channel gave.
CREATE TABLE contact_points (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    -- 'company', 'contact' or 'lead'.
    subject_type TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    -- 'phone' or 'email'.
    kind TEXT NOT NULL,
    -- phones: 'mobile', 'work', 'home', 'fax', 'other'; e-mails: 'work', 'personal', 'other'.
    label TEXT NOT NULL DEFAULT 'work',
    raw TEXT NOT NULL,
    value TEXT NOT NULL,
    is_primary INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE INDEX contact_points_value_idx ON contact_points (workspace_id, kind, value);
CREATE INDEX contact_points_subject_idx ON contact_points (workspace_id, subject_type, subject_id);

-- Workspace-defined fields of companies, contacts and leads (CLIENT-2).
CREATE TABLE custom_fields (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    -- 'company', 'contact' or 'lead'.
    entity TEXT NOT NULL,
    -- The key in the record's `custom` object: [a-z][a-z0-9_]*.
    code TEXT NOT NULL,
    label_ru TEXT NOT NULL,
    label_en TEXT NOT NULL,
    -- 'text', 'number', 'money', 'date', 'choice', 'multi_choice'.
    kind TEXT NOT NULL,
    -- choice/multi_choice: JSON array of {"value", "label_ru", "label_en"}; '[]' otherwise.
    options TEXT NOT NULL DEFAULT '[]',
    required INTEGER NOT NULL DEFAULT 0,
    -- Required only once a deal reaches this stage (the deals room fills it); NULL: the `required` flag alone.
    required_from_stage_id INTEGER,
    position INTEGER NOT NULL DEFAULT 0,
    archived_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX custom_fields_code_uq ON custom_fields (workspace_id, entity, code);

-- What arrived or happened on a card besides its own audit rows: an inbound e-mail, a call, a messenger message,
-- a repeat request, a merge. The activities and deals rooms add their own sources to the card timeline.
CREATE TABLE timeline_events (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    -- 'company', 'contact' or 'lead'.
    subject_type TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    -- e.g. 'email_in', 'call_in', 'call_missed', 'call_finished', 'message_in', 'repeat_request', 'merged'.
    kind TEXT NOT NULL,
    -- 'form', 'email', 'phone', 'telegram', 'webhook', 'manual', 'import', 'system'.
    channel TEXT NOT NULL DEFAULT 'system',
    actor_user_id INTEGER,
    summary TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL DEFAULT '{}',
    -- The channel's own id of the event (Message-ID, call id, update id) so a redelivery is not stored twice.
    external_ref TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE INDEX timeline_events_subject_idx ON timeline_events (workspace_id, subject_type, subject_id, at, id);
CREATE UNIQUE INDEX timeline_events_ref_uq ON timeline_events (workspace_id, channel, external_ref)
    WHERE external_ref IS NOT NULL;

-- One row per merge: the survivor absorbed `merged_id`; `snapshot` keeps the absorbed record as it was.
CREATE TABLE merges (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    -- 'company', 'contact' or 'lead'.
    subject_type TEXT NOT NULL,
    survivor_id INTEGER NOT NULL,
    merged_id INTEGER NOT NULL,
    actor_user_id INTEGER,
    snapshot TEXT NOT NULL,
    at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE INDEX merges_survivor_idx ON merges (workspace_id, subject_type, survivor_id);
CREATE INDEX merges_merged_idx ON merges (workspace_id, subject_type, merged_id);

-- Saved list views (filters, sort and columns) per user, or shared with the workspace when user_id is NULL.
CREATE TABLE saved_views (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    -- 'company', 'contact' or 'lead'.
    entity TEXT NOT NULL,
    user_id INTEGER,
    name TEXT NOT NULL,
    -- JSON: {"filters": {...}, "sort": "...", "columns": [...]}.
    definition TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
);
CREATE INDEX saved_views_user_idx ON saved_views (workspace_id, entity, user_id);

-- One search document per company, contact and lead: names, phones in their searchable spellings, e-mails, INN,
-- notes; owner_user_id mirrors the record so the visibility predicate applies to search results directly.
CREATE TABLE search_docs (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    subject_type TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    owner_user_id INTEGER,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX search_docs_subject_uq ON search_docs (workspace_id, subject_type, subject_id);

-- Full-text search (CLIENT-5): an FTS5 index over search_docs.body (external content: the text lives once, in
-- search_docs). unicode61 folds case in Cyrillic and Latin and drops diacritics; prefix indexes answer "word*"
-- queries of 2-4 characters without scanning the term list. Triggers keep the index in step with every write.
CREATE VIRTUAL TABLE search_fts USING fts5(
    body, content = 'search_docs', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
);
CREATE TRIGGER search_docs_fts_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER search_docs_fts_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER search_docs_fts_au AFTER UPDATE OF body ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO search_fts (rowid, body) VALUES (new.id, new.body);
END;

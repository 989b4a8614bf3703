-- Activities (ACT-1, ORG-3): calls, meetings, tasks, e-mails, SMS and notes on one timeline per company, contact,
-- lead and deal; meeting participants, task checklists, @mentions, uploaded files (call recordings, e-mail
-- attachments), the workspace's and users' SMTP accounts, e-mail templates and the workspace's activity settings.
-- An activity names every record it belongs to: one on a deal also carries the deal's company and contact, one on a
-- lead its lead (and the client once known), so each card's timeline is one indexed range read.

CREATE TABLE activity_files (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    -- Sniffed from the bytes, never taken from the upload: 'audio/mpeg', 'audio/wav', 'audio/ogg', 'audio/mp4',
    -- 'audio/webm', 'audio/flac' for recordings; any type for e-mail attachments.
    content_type TEXT NOT NULL,
    file_name TEXT NOT NULL DEFAULT '',
    size_bytes INTEGER NOT NULL,
    -- Lower-case hex SHA-256 of the bytes (ETag, integrity).
    sha256 TEXT NOT NULL,
    -- The bytes, base64 (RFC 4648, no line breaks), as document_files keeps them.
    content_b64 TEXT NOT NULL,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);

-- SMTP accounts: the workspace's (user_id NULL) and a user's own. The password is never returned by the API.
CREATE TABLE email_accounts (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    user_id INTEGER,
    -- The From: header, e.g. 'Отдел продаж <sales@example.ru>'.
    from_address TEXT NOT NULL,
    -- smtp://host:port (STARTTLS when offered) or smtps://host:port.
    smtp_url TEXT NOT NULL,
    smtp_user TEXT NOT NULL DEFAULT '',
    smtp_password TEXT NOT NULL DEFAULT '',
    require_tls INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
);
CREATE INDEX email_accounts_user_idx ON email_accounts (workspace_id, user_id);

-- E-mail (and SMS) templates with {{placeholders}}: client.name, contact.name, deal.title, user.name, …
CREATE TABLE activity_templates (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    -- 'email' or 'sms'.
    channel TEXT NOT NULL DEFAULT 'email',
    name TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    archived_at INTEGER,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE INDEX activity_templates_ws_idx ON activity_templates (workspace_id, channel, name, id);

-- One row per workspace; absent: the defaults below.
CREATE TABLE activity_settings (
    workspace_id INTEGER PRIMARY KEY REFERENCES workspaces (id),
    -- JSON array of activity kinds that count as the first response to a routed lead (routing's SLA clock).
    first_response_kinds TEXT NOT NULL DEFAULT '["call","email","sms","meeting"]',
    -- An open task this many minutes past its due time escalates to the assignee's manager.
    escalation_delay_minutes INTEGER NOT NULL DEFAULT 240,
    -- JSON array of host names a telephony recording URL may be fetched from; others are kept as a URL only.
    recording_hosts TEXT NOT NULL DEFAULT '[]',
    updated_at INTEGER NOT NULL
);

CREATE TABLE activities (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id INTEGER PRIMARY KEY,
    -- 'call', 'meeting', 'task', 'email', 'sms', 'note'.
    kind TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    -- Who the activity is: the caller / callee on our side, the meeting's host, the task's assignee, the e-mail's
    -- or SMS's sender, the note's author. Person lists (my tasks, a day, a team) and ORG-6 read this column.
    owner_user_id INTEGER,
    -- Who wrote it down (a manager setting a task; NULL for the system: telephony, IMAP).
    created_by INTEGER,
    -- The records it belongs to; at least one is set. Deal → also its company/contact; lead → its client if known.
    company_id INTEGER,
    contact_id INTEGER,
    lead_id INTEGER,
    deal_id INTEGER,
    -- Where it stands on the timeline (UTC ms): call start, meeting start, task due (or creation when no due),
    -- e-mail sent/received, SMS sent, note written.
    at INTEGER NOT NULL,
    starts_at INTEGER,
    ends_at INTEGER,
    due_at INTEGER,
    done INTEGER NOT NULL DEFAULT 0,
    done_at INTEGER,
    done_by INTEGER,
    -- 'manual', 'telephony', 'imap', 'system', 'import'.
    source TEXT NOT NULL DEFAULT 'manual',
    -- The channel's own id (telephony call id, Message-ID) so a redelivery is not stored twice.
    external_ref TEXT,
    -- Calls: 'in' / 'out'; seconds; 'answered', 'no_answer', 'busy', 'voicemail', 'missed', 'failed';
    -- the other side's phone (E.164); the recording as an uploaded/fetched file or only a URL.
    call_direction TEXT,
    call_duration_s INTEGER,
    call_outcome TEXT,
    call_phone TEXT,
    recording_file_id INTEGER,
    recording_url TEXT,
    -- Meetings: place, video link, result.
    meeting_place TEXT,
    meeting_video_url TEXT,
    meeting_result TEXT,
    -- Tasks: 'low', 'normal', 'high', 'urgent'; when it escalated to the assignee's manager and to whom.
    task_priority TEXT,
    escalated_at INTEGER,
    escalated_to INTEGER,
    -- E-mails: 'out' / 'in'; headers; 'queued', 'sent', 'failed', 'received'; the transport's error.
    email_direction TEXT,
    email_from TEXT,
    -- JSON arrays of addresses.
    email_to TEXT,
    email_cc TEXT,
    email_message_id TEXT,
    email_in_reply_to TEXT,
    email_status TEXT,
    email_error TEXT,
    email_account_id INTEGER,
    template_id INTEGER,
    -- SMS: the phone (E.164), 'sent' / 'failed', the provider's error.
    sms_phone TEXT,
    sms_status TEXT,
    sms_error TEXT,
    deleted_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, owner_user_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, company_id) REFERENCES companies (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, lead_id) REFERENCES leads (workspace_id, id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id),
    FOREIGN KEY (workspace_id, recording_file_id) REFERENCES activity_files (workspace_id, id),
    FOREIGN KEY (workspace_id, email_account_id) REFERENCES email_accounts (workspace_id, id)
);
-- A card's timeline, newest first, keyset on (at, id): one range per record kind.
CREATE INDEX activities_company_idx ON activities (workspace_id, company_id, at, id) WHERE company_id IS NOT NULL;
CREATE INDEX activities_contact_idx ON activities (workspace_id, contact_id, at, id) WHERE contact_id IS NOT NULL;
CREATE INDEX activities_lead_idx ON activities (workspace_id, lead_id, at, id) WHERE lead_id IS NOT NULL;
CREATE INDEX activities_deal_idx ON activities (workspace_id, deal_id, at, id) WHERE deal_id IS NOT NULL;
-- A person's items in a time range (a day, a week): calls, meetings, tasks, e-mails.
CREATE INDEX activities_owner_at_idx ON activities (workspace_id, owner_user_id, at, id);
-- Open tasks by due time: overdue lists, "my tasks", escalation sweeps.
CREATE INDEX activities_open_tasks_idx ON activities (workspace_id, owner_user_id, due_at, id)
    WHERE kind = 'task' AND done = 0 AND deleted_at IS NULL;
CREATE INDEX activities_overdue_idx ON activities (workspace_id, due_at, id)
    WHERE kind = 'task' AND done = 0 AND deleted_at IS NULL;
CREATE UNIQUE INDEX activities_ref_uq ON activities (workspace_id, source, external_ref) WHERE external_ref IS NOT NULL;
CREATE INDEX activities_message_id_idx ON activities (workspace_id, email_message_id)
    WHERE email_message_id IS NOT NULL;

-- Meeting participants: our people (user_id) and the client's (contact_id, or just a name and address).
CREATE TABLE activity_participants (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL,
    user_id INTEGER,
    contact_id INTEGER,
    name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, activity_id) REFERENCES activities (workspace_id, id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id)
);
CREATE INDEX activity_participants_activity_idx ON activity_participants (workspace_id, activity_id);
-- "Meetings I take part in" (a person's day and calendar besides the meetings they host).
CREATE INDEX activity_participants_user_idx ON activity_participants (workspace_id, user_id, activity_id);

-- A task's checklist, in order.
CREATE TABLE activity_checklist_items (
    workspace_id INTEGER NOT NULL,
    id INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    done_at INTEGER,
    done_by INTEGER,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, activity_id) REFERENCES activities (workspace_id, id)
);
CREATE INDEX activity_checklist_activity_idx ON activity_checklist_items (workspace_id, activity_id, position, id);

-- @mentions in notes (and any activity's text): who was named, and when they were notified.
CREATE TABLE activity_mentions (
    workspace_id INTEGER NOT NULL,
    activity_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, activity_id, user_id),
    FOREIGN KEY (workspace_id, activity_id) REFERENCES activities (workspace_id, id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
);
CREATE INDEX activity_mentions_user_idx ON activity_mentions (workspace_id, user_id, created_at);

-- E-mail attachments (sent or received).
CREATE TABLE activity_attachments (
    workspace_id INTEGER NOT NULL,
    activity_id INTEGER NOT NULL,
    file_id INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, activity_id, file_id),
    FOREIGN KEY (workspace_id, activity_id) REFERENCES activities (workspace_id, id),
    FOREIGN KEY (workspace_id, file_id) REFERENCES activity_files (workspace_id, id)
);

-- Notifications outside the browser (LEAD-7): each person's e-mail and Telegram channels with the notification
-- kinds they carry, and one delivery row per (notification, channel) so a redelivered outbox event never sends
-- the same message twice.

CREATE TABLE notification_channels (
    workspace_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    -- 'email', 'telegram'.
    channel TEXT NOT NULL,
    -- The e-mail address or the Telegram chat id.
    target TEXT NOT NULL,
    -- JSON array of kind prefixes, e.g. ["routing."]; [] carries every kind.
    kinds TEXT NOT NULL DEFAULT '["routing."]',
    enabled BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, user_id, channel),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
);

CREATE TABLE notification_deliveries (
    workspace_id BIGINT NOT NULL,
    notification_id BIGINT NOT NULL,
    channel TEXT NOT NULL,
    -- 'pending', 'sent', 'failed' (gave up after the job's attempts).
    status TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    PRIMARY KEY (workspace_id, notification_id, channel)
);

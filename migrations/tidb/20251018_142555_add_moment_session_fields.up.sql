-- schemactl migration 20251018_142555_add_moment_session_fields: up (tidb)
-- registry sha256: ec1a4d2f08150745d8fb7260ea26154db4074b6cd65a3242760511c8269ec8fe
-- Planned by `schemactl migrate new`.
-- TiDB commits each DDL statement on its own: `schemactl migrate up` records progress per statement,
-- so a failure part-way can be resumed (or undone with `migrate down`). TiDB has no IF [NOT] EXISTS
-- for constraints: run by hand, this file is safe to repeat only up to its first ADD CONSTRAINT.
-- String literals escape backslashes: a session with NO_BACKSLASH_ESCAPES would read them doubled.
SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '');

-- add column moments.speakers
ALTER TABLE moments ADD COLUMN IF NOT EXISTS speakers TEXT COMMENT 'JSON array of speaker entries with text, identifier, timestamp, emotion';

-- add column moments.key_emotions
ALTER TABLE moments ADD COLUMN IF NOT EXISTS key_emotions TEXT COMMENT 'JSON array of key emotional context tags';

-- add column sessions.moment_id
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS moment_id VARCHAR(255) COMMENT 'Optional reference to a Moment entity ID (no foreign key), set from the X-Moment-Id header.';

-- create index idx_sessions_moment_id on sessions
CREATE INDEX IF NOT EXISTS idx_sessions_moment_id ON sessions (moment_id);

-- schemactl migration 20251018_142555_add_moment_session_fields: down (tidb)
-- registry sha256: ec1a4d2f08150745d8fb7260ea26154db4074b6cd65a3242760511c8269ec8fe
-- Undoes the up file, step by step in reverse.
-- What this down migration cannot bring back:
--   add column moments.speakers: dropping moments.speakers loses the values written to it since
--   add column moments.key_emotions: dropping moments.key_emotions loses the values written to it since
--   add column sessions.moment_id: dropping sessions.moment_id loses the values written to it since
-- TiDB commits each DDL statement on its own: `schemactl migrate up` records progress per statement,
-- so a failure part-way can be resumed (or undone with `migrate down`). TiDB has no IF [NOT] EXISTS
-- for constraints: run by hand, this file is safe to repeat only up to its first ADD CONSTRAINT.
-- String literals escape backslashes: a session with NO_BACKSLASH_ESCAPES would read them doubled.
SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '');

-- undo: create index idx_sessions_moment_id on sessions
DROP INDEX IF EXISTS idx_sessions_moment_id ON sessions;

-- undo: add column sessions.moment_id
ALTER TABLE sessions DROP COLUMN IF EXISTS moment_id;

-- undo: add column moments.key_emotions
ALTER TABLE moments DROP COLUMN IF EXISTS key_emotions;

-- undo: add column moments.speakers
ALTER TABLE moments DROP COLUMN IF EXISTS speakers;

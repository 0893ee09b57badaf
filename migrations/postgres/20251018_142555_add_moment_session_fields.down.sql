-- schemactl migration 20251018_142555_add_moment_session_fields: down (postgres)
-- registry sha256: ec1a4d2f08150745d8fb7260ea26154db4074b6cd65a3242760511c8269ec8fe
-- Undoes the up file, step by step in reverse.
-- What this down migration cannot bring back:
--   add column moments.speakers: dropping moments.speakers loses the values written to it since
--   add column moments.key_emotions: dropping moments.key_emotions loses the values written to it since
--   add column sessions.moment_id: dropping sessions.moment_id loses the values written to it since
-- Safe to run twice: every statement uses IF [NOT] EXISTS or is guarded.
SET lock_timeout = '5s';

-- undo: create index idx_sessions_moment_id on sessions
-- schemactl:outside-transaction
DROP INDEX CONCURRENTLY IF EXISTS public.idx_sessions_moment_id;

-- undo: create index idx_moments_key_emotions_gin on moments
-- schemactl:outside-transaction
DROP INDEX CONCURRENTLY IF EXISTS public.idx_moments_key_emotions_gin;

-- undo: create index idx_moments_speakers_gin on moments
-- schemactl:outside-transaction
DROP INDEX CONCURRENTLY IF EXISTS public.idx_moments_speakers_gin;

-- undo: add column sessions.moment_id
ALTER TABLE IF EXISTS public.sessions DROP COLUMN IF EXISTS moment_id;

-- undo: add column moments.key_emotions
ALTER TABLE IF EXISTS public.moments DROP COLUMN IF EXISTS key_emotions;

-- undo: add column moments.speakers
ALTER TABLE IF EXISTS public.moments DROP COLUMN IF EXISTS speakers;

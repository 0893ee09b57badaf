-- schemactl migration 20251018_142555_add_moment_session_fields: up (postgres)
-- registry sha256: ec1a4d2f08150745d8fb7260ea26154db4074b6cd65a3242760511c8269ec8fe
-- Planned by `schemactl migrate new`.
-- Safe to run twice: every statement uses IF [NOT] EXISTS or is guarded.
SET lock_timeout = '5s';

-- add column moments.speakers
ALTER TABLE public.moments ADD COLUMN IF NOT EXISTS speakers JSONB;
COMMENT ON COLUMN public.moments.speakers IS 'JSON array of speaker entries with text, identifier, timestamp, emotion';

-- add column moments.key_emotions
ALTER TABLE public.moments ADD COLUMN IF NOT EXISTS key_emotions TEXT[];
COMMENT ON COLUMN public.moments.key_emotions IS 'JSON array of key emotional context tags';

-- add column sessions.moment_id
ALTER TABLE public.sessions ADD COLUMN IF NOT EXISTS moment_id UUID;
COMMENT ON COLUMN public.sessions.moment_id IS 'Optional reference to a Moment entity ID (no foreign key), set from the X-Moment-Id header.';

-- create index idx_moments_speakers_gin on moments
-- schemactl:outside-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_moments_speakers_gin ON public.moments USING gin (speakers);

-- create index idx_moments_key_emotions_gin on moments
-- schemactl:outside-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_moments_key_emotions_gin ON public.moments USING gin (key_emotions);

-- create index idx_sessions_moment_id on sessions
-- schemactl:outside-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_sessions_moment_id ON public.sessions (moment_id);

-- schemactl migration 20251018_142000_baseline: down (postgres)
-- registry sha256: 88abf66dbee543d8b8ed0fe126d674225e5f156cf5820831db5ec001dad630cc
-- Undoes the up file, step by step in reverse.
-- Safe to run twice: every statement uses IF [NOT] EXISTS or is guarded.
SET lock_timeout = '5s';

-- undo: create materialized view mv_period_metrics_trend
DROP MATERIALIZED VIEW IF EXISTS public.mv_period_metrics_trend;

-- undo: create view v_crawl_effectiveness_ranking
DROP VIEW IF EXISTS public.v_crawl_effectiveness_ranking;

-- undo: create view v_entity_timeline_summary
DROP VIEW IF EXISTS public.v_entity_timeline_summary;

-- undo: create view v_period_timeline
DROP VIEW IF EXISTS public.v_period_timeline;

-- undo: create function recompute_metrics_delta
DROP FUNCTION IF EXISTS public.recompute_metrics_delta(p_period_id UUID);

-- undo: create function detect_metric_anomalies
DROP FUNCTION IF EXISTS public.detect_metric_anomalies(p_entity_type VARCHAR(20), p_entity_id UUID, p_metric_key TEXT, p_threshold_factor DOUBLE PRECISION);

-- undo: create function get_content_timeline
DROP FUNCTION IF EXISTS public.get_content_timeline(p_entity_type VARCHAR(20), p_entity_id UUID, p_start_time TIMESTAMPTZ, p_end_time TIMESTAMPTZ, p_min_relevance DOUBLE PRECISION);

-- undo: create function get_period_by_number
DROP FUNCTION IF EXISTS public.get_period_by_number(p_entity_type VARCHAR(20), p_entity_id UUID, p_period_number INTEGER);

-- undo: create index idx_sessions_graph_paths_gin on sessions
DROP INDEX IF EXISTS public.idx_sessions_graph_paths_gin;

-- undo: create index idx_sessions_metadata_gin on sessions
DROP INDEX IF EXISTS public.idx_sessions_metadata_gin;

-- undo: create index idx_personas_active on personas
DROP INDEX IF EXISTS public.idx_personas_active;

-- undo: create index idx_personas_mode on personas
DROP INDEX IF EXISTS public.idx_personas_mode;

-- undo: create index idx_personas_name on personas
DROP INDEX IF EXISTS public.idx_personas_name;

-- undo: create index idx_effectiveness_score on crawl_effectiveness
DROP INDEX IF EXISTS public.idx_effectiveness_score;

-- undo: create index idx_effectiveness_query_trgm on crawl_effectiveness
DROP INDEX IF EXISTS public.idx_effectiveness_query_trgm;

-- undo: create index idx_effectiveness_platform on crawl_effectiveness
DROP INDEX IF EXISTS public.idx_effectiveness_platform;

-- undo: create index idx_effectiveness_entity on crawl_effectiveness
DROP INDEX IF EXISTS public.idx_effectiveness_entity;

-- undo: create index idx_effectiveness_period on crawl_effectiveness
DROP INDEX IF EXISTS public.idx_effectiveness_period;

-- undo: create index idx_events_type on temporal_events
DROP INDEX IF EXISTS public.idx_events_type;

-- undo: create index idx_events_unresolved on temporal_events
DROP INDEX IF EXISTS public.idx_events_unresolved;

-- undo: create index idx_events_entity on temporal_events
DROP INDEX IF EXISTS public.idx_events_entity;

-- undo: create index idx_events_period on temporal_events
DROP INDEX IF EXISTS public.idx_events_period;

-- undo: create index unique_period_content on period_content_snapshots
DROP INDEX IF EXISTS public.unique_period_content;

-- undo: create index idx_snapshot_content on period_content_snapshots
DROP INDEX IF EXISTS public.idx_snapshot_content;

-- undo: create index idx_snapshot_period_covering on period_content_snapshots
DROP INDEX IF EXISTS public.idx_snapshot_period_covering;

-- undo: create index idx_periods_status on analysis_periods
DROP INDEX IF EXISTS public.idx_periods_status;

-- undo: create index idx_periods_analyzed_at on analysis_periods
DROP INDEX IF EXISTS public.idx_periods_analyzed_at;

-- undo: create index idx_periods_user on analysis_periods
DROP INDEX IF EXISTS public.idx_periods_user;

-- undo: create index idx_periods_topic on analysis_periods
DROP INDEX IF EXISTS public.idx_periods_topic;

-- undo: create index unique_active_period_number on analysis_periods
DROP INDEX IF EXISTS public.unique_active_period_number;

-- undo: create index idx_moments_images_gin on moments
DROP INDEX IF EXISTS public.idx_moments_images_gin;

-- undo: create index idx_moments_topic_tags_gin on moments
DROP INDEX IF EXISTS public.idx_moments_topic_tags_gin;

-- undo: create index idx_moments_emotion_tags_gin on moments
DROP INDEX IF EXISTS public.idx_moments_emotion_tags_gin;

-- undo: create index idx_moments_present_persons_gin on moments
DROP INDEX IF EXISTS public.idx_moments_present_persons_gin;

-- undo: create index idx_moments_graph_paths_gin on moments
DROP INDEX IF EXISTS public.idx_moments_graph_paths_gin;

-- undo: create index idx_moments_metadata_gin on moments
DROP INDEX IF EXISTS public.idx_moments_metadata_gin;

-- undo: create index idx_conversation_states_executed_at on conversation_states
DROP INDEX IF EXISTS public.idx_conversation_states_executed_at;

-- undo: create index idx_conversation_states_module_id on conversation_states
DROP INDEX IF EXISTS public.idx_conversation_states_module_id;

-- undo: create index idx_conversation_states_conversation_id on conversation_states
DROP INDEX IF EXISTS public.idx_conversation_states_conversation_id;

-- undo: create index idx_modules_context_ai_active on modules
DROP INDEX IF EXISTS public.idx_modules_context_ai_active;

-- undo: create index idx_modules_ai_inference on modules
DROP INDEX IF EXISTS public.idx_modules_ai_inference;

-- undo: create index idx_modules_execution_context on modules
DROP INDEX IF EXISTS public.idx_modules_execution_context;

-- undo: create index idx_modules_active on modules
DROP INDEX IF EXISTS public.idx_modules_active;

-- undo: create index idx_modules_type on modules
DROP INDEX IF EXISTS public.idx_modules_type;

-- undo: create index idx_modules_name on modules
DROP INDEX IF EXISTS public.idx_modules_name;

-- undo: create index idx_conversation_memories_created_at on conversation_memories
DROP INDEX IF EXISTS public.idx_conversation_memories_created_at;

-- undo: create index idx_conversation_memories_sequence on conversation_memories
DROP INDEX IF EXISTS public.idx_conversation_memories_sequence;

-- undo: create index idx_conversation_memories_conversation_id on conversation_memories
DROP INDEX IF EXISTS public.idx_conversation_memories_conversation_id;

-- undo: create index idx_messages_created_at on messages
DROP INDEX IF EXISTS public.idx_messages_created_at;

-- undo: create index idx_messages_conversation_id on messages
DROP INDEX IF EXISTS public.idx_messages_conversation_id;

-- undo: create index idx_conversations_created_at on conversations
DROP INDEX IF EXISTS public.idx_conversations_created_at;

-- undo: create index idx_conversations_persona_id on conversations
DROP INDEX IF EXISTS public.idx_conversations_persona_id;

-- undo: add foreign key fk_crawl_effectiveness_period on crawl_effectiveness
ALTER TABLE IF EXISTS public.crawl_effectiveness DROP CONSTRAINT IF EXISTS fk_crawl_effectiveness_period;

-- undo: add foreign key fk_event_contents_content on event_contents
ALTER TABLE IF EXISTS public.event_contents DROP CONSTRAINT IF EXISTS fk_event_contents_content;

-- undo: add foreign key fk_event_contents_event on event_contents
ALTER TABLE IF EXISTS public.event_contents DROP CONSTRAINT IF EXISTS fk_event_contents_event;

-- undo: add foreign key fk_temporal_events_period on temporal_events
ALTER TABLE IF EXISTS public.temporal_events DROP CONSTRAINT IF EXISTS fk_temporal_events_period;

-- undo: add foreign key fk_snapshots_content on period_content_snapshots
ALTER TABLE IF EXISTS public.period_content_snapshots DROP CONSTRAINT IF EXISTS fk_snapshots_content;

-- undo: add foreign key fk_snapshots_period on period_content_snapshots
ALTER TABLE IF EXISTS public.period_content_snapshots DROP CONSTRAINT IF EXISTS fk_snapshots_period;

-- undo: add foreign key fk_analysis_periods_superseded_by on analysis_periods
ALTER TABLE IF EXISTS public.analysis_periods DROP CONSTRAINT IF EXISTS fk_analysis_periods_superseded_by;

-- undo: add foreign key conversation_states_module_id_fkey on conversation_states
ALTER TABLE IF EXISTS public.conversation_states DROP CONSTRAINT IF EXISTS conversation_states_module_id_fkey;

-- undo: add foreign key messages_conversation_id_fkey on messages
ALTER TABLE IF EXISTS public.messages DROP CONSTRAINT IF EXISTS messages_conversation_id_fkey;

-- undo: add foreign key conversations_persona_id_fkey on conversations
ALTER TABLE IF EXISTS public.conversations DROP CONSTRAINT IF EXISTS conversations_persona_id_fkey;

-- undo: create table sessions
DROP TABLE IF EXISTS public.sessions;

-- undo: create table personas
DROP TABLE IF EXISTS public.personas;

-- undo: create table crawl_effectiveness
DROP TABLE IF EXISTS public.crawl_effectiveness;

-- undo: create table event_contents
DROP TABLE IF EXISTS public.event_contents;

-- undo: create table temporal_events
DROP TABLE IF EXISTS public.temporal_events;

-- undo: create table period_content_snapshots
DROP TABLE IF EXISTS public.period_content_snapshots;

-- undo: create table analysis_periods
DROP TABLE IF EXISTS public.analysis_periods;

-- undo: create table moments
DROP TABLE IF EXISTS public.moments;

-- undo: create table conversation_states
DROP TABLE IF EXISTS public.conversation_states;

-- undo: create table modules
DROP TABLE IF EXISTS public.modules;

-- undo: create table conversation_memories
DROP TABLE IF EXISTS public.conversation_memories;

-- undo: create table messages
DROP TABLE IF EXISTS public.messages;

-- undo: create table conversations
DROP TABLE IF EXISTS public.conversations;

-- undo: create enum type execution_context
DROP TYPE IF EXISTS public.execution_context;

-- undo: create extension pg_trgm
DROP EXTENSION IF EXISTS pg_trgm;

-- undo: create extension btree_gist
DROP EXTENSION IF EXISTS btree_gist;

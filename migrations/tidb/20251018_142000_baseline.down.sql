-- schemactl migration 20251018_142000_baseline: down (tidb)
-- registry sha256: 88abf66dbee543d8b8ed0fe126d674225e5f156cf5820831db5ec001dad630cc
-- Undoes the up file, step by step in reverse.
-- TiDB commits each DDL statement on its own: `schemactl migrate up` records progress per statement,
-- so a failure part-way can be resumed (or undone with `migrate down`). TiDB has no IF [NOT] EXISTS
-- for constraints: run by hand, this file is safe to repeat only up to its first ADD CONSTRAINT.
-- String literals escape backslashes: a session with NO_BACKSLASH_ESCAPES would read them doubled.
SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '');

-- undo: create view v_crawl_effectiveness_ranking
DROP VIEW IF EXISTS v_crawl_effectiveness_ranking;

-- undo: create view v_entity_timeline_summary
DROP VIEW IF EXISTS v_entity_timeline_summary;

-- undo: create view v_period_timeline
DROP VIEW IF EXISTS v_period_timeline;

-- undo: add foreign key fk_crawl_effectiveness_period on crawl_effectiveness
ALTER TABLE crawl_effectiveness DROP FOREIGN KEY fk_crawl_effectiveness_period;

-- undo: add foreign key fk_event_contents_content on event_contents
ALTER TABLE event_contents DROP FOREIGN KEY fk_event_contents_content;

-- undo: add foreign key fk_event_contents_event on event_contents
ALTER TABLE event_contents DROP FOREIGN KEY fk_event_contents_event;

-- undo: add foreign key fk_temporal_events_period on temporal_events
ALTER TABLE temporal_events DROP FOREIGN KEY fk_temporal_events_period;

-- undo: add foreign key fk_snapshots_content on period_content_snapshots
ALTER TABLE period_content_snapshots DROP FOREIGN KEY fk_snapshots_content;

-- undo: add foreign key fk_snapshots_period on period_content_snapshots
ALTER TABLE period_content_snapshots DROP FOREIGN KEY fk_snapshots_period;

-- undo: add foreign key fk_analysis_periods_superseded_by on analysis_periods
ALTER TABLE analysis_periods DROP FOREIGN KEY fk_analysis_periods_superseded_by;

-- undo: add foreign key conversation_states_module_id_fkey on conversation_states
ALTER TABLE conversation_states DROP FOREIGN KEY conversation_states_module_id_fkey;

-- undo: add foreign key messages_conversation_id_fkey on messages
ALTER TABLE messages DROP FOREIGN KEY messages_conversation_id_fkey;

-- undo: add foreign key conversations_persona_id_fkey on conversations
ALTER TABLE conversations DROP FOREIGN KEY conversations_persona_id_fkey;

-- undo: create index idx_personas_active on personas
DROP INDEX IF EXISTS idx_personas_active ON personas;

-- undo: create index idx_personas_mode on personas
DROP INDEX IF EXISTS idx_personas_mode ON personas;

-- undo: create index idx_personas_name on personas
DROP INDEX IF EXISTS idx_personas_name ON personas;

-- undo: create index idx_effectiveness_score on crawl_effectiveness
DROP INDEX IF EXISTS idx_effectiveness_score ON crawl_effectiveness;

-- undo: create index idx_effectiveness_platform on crawl_effectiveness
DROP INDEX IF EXISTS idx_effectiveness_platform ON crawl_effectiveness;

-- undo: create index idx_effectiveness_entity on crawl_effectiveness
DROP INDEX IF EXISTS idx_effectiveness_entity ON crawl_effectiveness;

-- undo: create index idx_effectiveness_period on crawl_effectiveness
DROP INDEX IF EXISTS idx_effectiveness_period ON crawl_effectiveness;

-- undo: create index idx_events_type on temporal_events
DROP INDEX IF EXISTS idx_events_type ON temporal_events;

-- undo: create index idx_events_resolution on temporal_events
DROP INDEX IF EXISTS idx_events_resolution ON temporal_events;

-- undo: create index idx_events_entity on temporal_events
DROP INDEX IF EXISTS idx_events_entity ON temporal_events;

-- undo: create index idx_events_period on temporal_events
DROP INDEX IF EXISTS idx_events_period ON temporal_events;

-- undo: create index unique_period_content on period_content_snapshots
DROP INDEX IF EXISTS unique_period_content ON period_content_snapshots;

-- undo: create index idx_snapshot_content on period_content_snapshots
DROP INDEX IF EXISTS idx_snapshot_content ON period_content_snapshots;

-- undo: create index idx_snapshot_period_relevance on period_content_snapshots
DROP INDEX IF EXISTS idx_snapshot_period_relevance ON period_content_snapshots;

-- undo: create index idx_periods_status on analysis_periods
DROP INDEX IF EXISTS idx_periods_status ON analysis_periods;

-- undo: create index idx_periods_analyzed_at on analysis_periods
DROP INDEX IF EXISTS idx_periods_analyzed_at ON analysis_periods;

-- undo: create index idx_periods_entity_number on analysis_periods
DROP INDEX IF EXISTS idx_periods_entity_number ON analysis_periods;

-- undo: create index idx_conversation_states_executed_at on conversation_states
DROP INDEX IF EXISTS idx_conversation_states_executed_at ON conversation_states;

-- undo: create index idx_conversation_states_module_id on conversation_states
DROP INDEX IF EXISTS idx_conversation_states_module_id ON conversation_states;

-- undo: create index idx_conversation_states_conversation_id on conversation_states
DROP INDEX IF EXISTS idx_conversation_states_conversation_id ON conversation_states;

-- undo: create index idx_modules_context_ai_active on modules
DROP INDEX IF EXISTS idx_modules_context_ai_active ON modules;

-- undo: create index idx_modules_ai_inference on modules
DROP INDEX IF EXISTS idx_modules_ai_inference ON modules;

-- undo: create index idx_modules_execution_context on modules
DROP INDEX IF EXISTS idx_modules_execution_context ON modules;

-- undo: create index idx_modules_active on modules
DROP INDEX IF EXISTS idx_modules_active ON modules;

-- undo: create index idx_modules_type on modules
DROP INDEX IF EXISTS idx_modules_type ON modules;

-- undo: create index idx_modules_name on modules
DROP INDEX IF EXISTS idx_modules_name ON modules;

-- undo: create index idx_conversation_memories_created_at on conversation_memories
DROP INDEX IF EXISTS idx_conversation_memories_created_at ON conversation_memories;

-- undo: create index idx_conversation_memories_sequence on conversation_memories
DROP INDEX IF EXISTS idx_conversation_memories_sequence ON conversation_memories;

-- undo: create index idx_conversation_memories_conversation_id on conversation_memories
DROP INDEX IF EXISTS idx_conversation_memories_conversation_id ON conversation_memories;

-- undo: create index idx_messages_created_at on messages
DROP INDEX IF EXISTS idx_messages_created_at ON messages;

-- undo: create index idx_messages_conversation_id on messages
DROP INDEX IF EXISTS idx_messages_conversation_id ON messages;

-- undo: create index idx_conversations_created_at on conversations
DROP INDEX IF EXISTS idx_conversations_created_at ON conversations;

-- undo: create index idx_conversations_persona_id on conversations
DROP INDEX IF EXISTS idx_conversations_persona_id ON conversations;

-- undo: create table sessions
DROP TABLE IF EXISTS sessions;

-- undo: create table personas
DROP TABLE IF EXISTS personas;

-- undo: create table crawl_effectiveness
DROP TABLE IF EXISTS crawl_effectiveness;

-- undo: create table event_contents
DROP TABLE IF EXISTS event_contents;

-- undo: create table temporal_events
DROP TABLE IF EXISTS temporal_events;

-- undo: create table period_content_snapshots
DROP TABLE IF EXISTS period_content_snapshots;

-- undo: create table analysis_periods
DROP TABLE IF EXISTS analysis_periods;

-- undo: create table moments
DROP TABLE IF EXISTS moments;

-- undo: create table conversation_states
DROP TABLE IF EXISTS conversation_states;

-- undo: create table modules
DROP TABLE IF EXISTS modules;

-- undo: create table conversation_memories
DROP TABLE IF EXISTS conversation_memories;

-- undo: create table messages
DROP TABLE IF EXISTS messages;

-- undo: create table conversations
DROP TABLE IF EXISTS conversations;

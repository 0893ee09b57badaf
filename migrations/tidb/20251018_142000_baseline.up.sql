-- schemactl migration 20251018_142000_baseline: up (tidb)
-- registry sha256: 88abf66dbee543d8b8ed0fe126d674225e5f156cf5820831db5ec001dad630cc
-- Planned by `schemactl migrate new`.
-- TiDB commits each DDL statement on its own: `schemactl migrate up` records progress per statement,
-- so a failure part-way can be resumed (or undone with `migrate down`). TiDB has no IF [NOT] EXISTS
-- for constraints: run by hand, this file is safe to repeat only up to its first ADD CONSTRAINT.
-- String literals escape backslashes: a session with NO_BACKSLASH_ESCAPES would read them doubled.
SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '');

-- create table conversations
CREATE TABLE IF NOT EXISTS conversations (
    id VARCHAR(255) NOT NULL DEFAULT (UUID()),
    title VARCHAR(255) NOT NULL,
    persona_id VARCHAR(255) COMMENT 'Persona the conversation is held with; NULL once that persona is deleted.',
    provider_type VARCHAR(50) COMMENT 'LLM provider, e.g. openai or ollama.',
    provider_config TEXT COMMENT 'Snapshot of the provider configuration at conversation start.',
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id) /*T![clustered_index] CLUSTERED */
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='Chat conversation sessions linked to personas';

-- create table messages
CREATE TABLE IF NOT EXISTS messages (
    id VARCHAR(255) NOT NULL DEFAULT (UUID()),
    conversation_id VARCHAR(255) NOT NULL,
    role VARCHAR(20) NOT NULL,
    content TEXT NOT NULL,
    thinking TEXT COMMENT 'AI reasoning content for native reasoning models',
    extra_data TEXT COMMENT 'Additional metadata.',
    input_tokens INT COMMENT 'Token count of the prompt.',
    output_tokens INT COMMENT 'Token count of the completion.',
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id) /*T![clustered_index] CLUSTERED */,
    CONSTRAINT valid_message_role CHECK (role IN ('user', 'assistant', 'system'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='Individual messages within conversations with optional thinking content';

-- create table conversation_memories
CREATE TABLE IF NOT EXISTS conversation_memories (
    id VARCHAR(255) NOT NULL DEFAULT (UUID()),
    conversation_id VARCHAR(255) NOT NULL COMMENT 'UUID of the conversation this memory belongs to',
    memory_sequence INT NOT NULL COMMENT 'Sequential numbering of memories for this conversation (1, 2, 3...)',
    compressed_content TEXT NOT NULL COMMENT 'AI-generated summary of the conversation segment',
    original_message_range VARCHAR(20) NOT NULL COMMENT 'Range of messages that were compressed (e.g. "25-35")',
    message_count_at_compression INT NOT NULL COMMENT 'Total message count in conversation when this compression occurred',
    first_message_id VARCHAR(100) COMMENT 'ID of the first message in the compressed range, used to prevent duplicate compressions of the same message set',
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) COMMENT 'Timestamp when this memory was created and stored',
    updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id) /*T![clustered_index] CLUSTERED */,
    UNIQUE KEY unique_conversation_memory_sequence (conversation_id, memory_sequence),
    CONSTRAINT check_positive_memory_sequence CHECK (memory_sequence > 0),
    CONSTRAINT check_non_empty_content CHECK (char_length(compressed_content) > 0),
    CONSTRAINT check_positive_message_count CHECK (message_count_at_compression > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='Stores AI-compressed long-term conversation memories from fixed buffer window (messages 25-35)';

-- create table modules
CREATE TABLE IF NOT EXISTS modules (
    id VARCHAR(255) NOT NULL DEFAULT (UUID()),
    name VARCHAR(255) NOT NULL COMMENT 'Module name as used in @module_name template placeholders.',
    description TEXT,
    content TEXT COMMENT 'Module content - can be empty for modules that will be populated dynamically',
    type VARCHAR(20) NOT NULL DEFAULT 'simple' COMMENT 'simple (static text) or advanced (Python script).',
    trigger_pattern VARCHAR(500) COMMENT 'Regex or keyword that activates the module.',
    script TEXT COMMENT 'Python script of an advanced module.',
    execution_context ENUM('IMMEDIATE', 'POST_RESPONSE', 'ON_DEMAND') NOT NULL DEFAULT 'ON_DEMAND' COMMENT 'When module executes: immediate (during template resolution), post_response (after AI response), on_demand (triggered)',
    requires_ai_inference BOOLEAN NOT NULL DEFAULT FALSE COMMENT 'Whether module script uses AI generation/reflection functions (auto-detected)',
    script_analysis_metadata TEXT DEFAULT (JSON_OBJECT()) COMMENT 'Metadata about script analysis (detected functions, complexity, etc.)',
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id) /*T![clustered_index] CLUSTERED */,
    UNIQUE KEY unique_module_name (name),
    CONSTRAINT valid_module_type CHECK (type IN ('simple', 'advanced')),
    CONSTRAINT valid_module_name_format CHECK (name REGEXP '^[a-z][a-z0-9_]{0,49}$' AND CHAR_LENGTH(name) <= 50)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='Cognitive system modules (simple text or advanced Python scripts)';

-- create table conversation_states
CREATE TABLE IF NOT EXISTS conversation_states (
    id VARCHAR(255) NOT NULL DEFAULT (UUID()),
    conversation_id VARCHAR(255) NOT NULL COMMENT 'Conversation the state belongs to (no foreign key).',
    module_id VARCHAR(255) NOT NULL COMMENT 'Module whose run produced this state.',
    execution_stage VARCHAR(20) NOT NULL COMMENT 'Stage 4 (non-AI) or Stage 5 (AI-powered) post-response execution',
    variables TEXT NOT NULL DEFAULT (JSON_OBJECT()) COMMENT 'Module script output variables stored as JSON for next conversation',
    execution_metadata TEXT DEFAULT (JSON_OBJECT()) COMMENT 'Metadata about script execution (success, timing, errors, etc.)',
    executed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id) /*T![clustered_index] CLUSTERED */,
    UNIQUE KEY unique_conversation_module_stage (conversation_id, module_id, execution_stage),
    CONSTRAINT valid_execution_stage CHECK (execution_stage IN ('stage4', 'stage5'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='Stores execution state for POST_RESPONSE modules across conversations';

-- create table moments
CREATE TABLE IF NOT EXISTS moments (
    id VARCHAR(255) NOT NULL COMMENT 'Entity id, computed by the application (uuid5 of tenant, uri and ordinal).',
    created_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6),
    updated_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6),
    name TEXT NOT NULL COMMENT 'Business key of the moment, unique per tenant.',
    category TEXT,
    content TEXT NOT NULL COMMENT 'Text of the moment; the embedding source.',
    summary TEXT,
    ordinal BIGINT COMMENT 'Position of the chunk within its source (the Python default 0 is not a SQL default).',
    uri TEXT,
    metadata TEXT COMMENT 'Free-form metadata object.',
    graph_paths TEXT COMMENT 'JSON array of inline graph edges (dst, rel_type, weight, properties, created_at).',
    resource_timestamp TIMESTAMP(6) COMMENT 'The moment''s start time; the end is resource_ends_timestamp.',
    userid TEXT,
    resource_ends_timestamp TIMESTAMP(6) COMMENT 'End time of the moment.',
    present_persons TEXT COMMENT 'JSON array of people present (fingerprint_id, user_id, user_label).',
    location TEXT COMMENT 'GPS coordinates or free-text place.',
    background_sounds TEXT,
    moment_type TEXT COMMENT 'Free text, e.g. conversation, meeting, observation, reflection (no check on purpose).',
    emotion_tags TEXT COMMENT 'Fine-grained emotion tags.',
    topic_tags TEXT COMMENT 'Topic tags.',
    images TEXT COMMENT 'URIs to representative images associated with the moment.',
    tenant_id VARCHAR(255) NOT NULL COMMENT 'Owning tenant (system column added by the p8fs providers).',
    PRIMARY KEY (id) /*T![clustered_index] CLUSTERED */
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='Moments captured for a tenant; a Moment is a Resource with a start and end time, people present and emotional context.';

-- create table analysis_periods
CREATE TABLE IF NOT EXISTS analysis_periods (
    id VARCHAR(255) NOT NULL DEFAULT (UUID()),
    entity_type VARCHAR(20) NOT NULL,
    entity_id VARCHAR(255) NOT NULL COMMENT 'topics.id or users.id depending on entity_type (polymorphic, so no foreign key).',
    period_start TIMESTAMP(6) NOT NULL,
    period_end TIMESTAMP(6) NOT NULL,
    analyzed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    period_number INT NOT NULL COMMENT 'Sequence number of the period within its entity, starting at 0 for the legacy period.',
    duration_hours DOUBLE NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'active',
    superseded_by VARCHAR(255) COMMENT 'The period that replaced this one when it was re-analysed.',
    supersession_reason TEXT,
    content_count INT NOT NULL DEFAULT 0,
    summary TEXT NOT NULL,
    summary_short TEXT,
    insights TEXT NOT NULL DEFAULT (JSON_OBJECT()),
    metrics TEXT NOT NULL DEFAULT (JSON_OBJECT()) COMMENT 'Named numeric metrics of the period, e.g. {"content_count": 42}.',
    metrics_delta TEXT NOT NULL DEFAULT (JSON_OBJECT()) COMMENT 'Change of the metrics against the previous active period (see recompute_metrics_delta).',
    tasks_dispatched TEXT NOT NULL DEFAULT (JSON_ARRAY()) COMMENT 'Ids of the crawl tasks dispatched during the period.',
    tasks_summary TEXT NOT NULL DEFAULT (JSON_OBJECT()),
    chat_summary TEXT,
    knowledge_version INT NOT NULL DEFAULT 1,
    knowledge_doc TEXT COMMENT 'The analyst''s knowledge document as of this period.',
    knowledge_diff TEXT,
    quality_score DOUBLE,
    completeness_score DOUBLE,
    execution_log TEXT DEFAULT (JSON_OBJECT()) COMMENT 'The analyst run''s log, kept for debugging.',
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id) /*T![clustered_index] CLUSTERED */,
    CONSTRAINT valid_entity_type CHECK (entity_type IN ('topic', 'user')),
    CONSTRAINT valid_status CHECK (status IN ('active', 'draft', 'superseded', 'failed', 'archived')),
    CONSTRAINT valid_quality_score CHECK (quality_score >= 0 AND quality_score <= 1),
    CONSTRAINT valid_completeness_score CHECK (completeness_score >= 0 AND completeness_score <= 1),
    CONSTRAINT valid_period CHECK (period_end > period_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='One complete analysis cycle of a topic or user; superseded rows are kept (soft delete via status and superseded_by).';

-- create table period_content_snapshots
CREATE TABLE IF NOT EXISTS period_content_snapshots (
    id VARCHAR(255) NOT NULL DEFAULT (UUID()),
    period_id VARCHAR(255) NOT NULL,
    content_id VARCHAR(255) NOT NULL,
    contribution_type VARCHAR(32) NOT NULL DEFAULT 'general',
    relevance_score DOUBLE,
    text_snapshot TEXT COMMENT 'The content''s text at analysis time (contents may change later).',
    key_points_snapshot TEXT,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id) /*T![clustered_index] CLUSTERED */,
    CONSTRAINT valid_relevance_score CHECK (relevance_score >= 0 AND relevance_score <= 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='Which contents fed a period, frozen as they were when the period was analysed.';

-- create table temporal_events
CREATE TABLE IF NOT EXISTS temporal_events (
    id VARCHAR(255) NOT NULL DEFAULT (UUID()),
    period_id VARCHAR(255) NOT NULL COMMENT 'Period in which the event was detected.',
    entity_type VARCHAR(20) NOT NULL,
    entity_id VARCHAR(255) NOT NULL,
    event_type VARCHAR(32) NOT NULL COMMENT 'Free text, not checked.',
    severity VARCHAR(16) NOT NULL DEFAULT 'info',
    title VARCHAR(256) NOT NULL,
    description TEXT NOT NULL,
    first_detected_at TIMESTAMP(6) NOT NULL,
    last_updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    resolved_at TIMESTAMP(6) COMMENT 'NULL while the event is unresolved.',
    resolution_note TEXT,
    metadata TEXT NOT NULL DEFAULT (JSON_OBJECT()) COMMENT 'Event details (the ORM attribute is called event_metadata).',
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id) /*T![clustered_index] CLUSTERED */,
    CONSTRAINT valid_event_entity_type CHECK (entity_type IN ('topic', 'user')),
    CONSTRAINT valid_severity CHECK (severity IN ('info', 'warning', 'critical'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='Significant events detected for an entity, tracked from detection to resolution across periods.';

-- create table event_contents
CREATE TABLE IF NOT EXISTS event_contents (
    event_id VARCHAR(255) NOT NULL,
    content_id VARCHAR(255) NOT NULL,
    relevance_to_event DOUBLE,
    added_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (event_id, content_id) /*T![clustered_index] CLUSTERED */,
    CONSTRAINT valid_event_relevance CHECK (relevance_to_event >= 0 AND relevance_to_event <= 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='Contents that evidence a temporal event.';

-- create table crawl_effectiveness
CREATE TABLE IF NOT EXISTS crawl_effectiveness (
    id VARCHAR(255) NOT NULL DEFAULT (UUID()),
    period_id VARCHAR(255) NOT NULL,
    entity_type VARCHAR(20) NOT NULL,
    entity_id VARCHAR(255) NOT NULL,
    platform VARCHAR(16) NOT NULL,
    query TEXT NOT NULL COMMENT 'The crawl query as sent to the platform.',
    total_found INT NOT NULL DEFAULT 0,
    relevant_count INT NOT NULL DEFAULT 0,
    high_value_count INT NOT NULL DEFAULT 0,
    effectiveness_score DOUBLE,
    avg_relevance DOUBLE,
    coverage_ratio DOUBLE,
    recommendations TEXT COMMENT 'The analyst''s advice for the next period''s queries.',
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id) /*T![clustered_index] CLUSTERED */,
    CONSTRAINT valid_crawl_entity_type CHECK (entity_type IN ('topic', 'user')),
    CONSTRAINT valid_effectiveness_score CHECK (effectiveness_score >= 0 AND effectiveness_score <= 1),
    CONSTRAINT valid_avg_relevance CHECK (avg_relevance >= 0 AND avg_relevance <= 1),
    CONSTRAINT valid_coverage_ratio CHECK (coverage_ratio >= 0 AND coverage_ratio <= 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='How well each crawl query of a period worked, per platform, so the analyst can tune the next period''s queries.';

-- create table personas
CREATE TABLE IF NOT EXISTS personas (
    id VARCHAR(255) NOT NULL DEFAULT (UUID()),
    name VARCHAR(255) NOT NULL COMMENT 'Display name; unique so users can tell personas apart.',
    description TEXT,
    template TEXT NOT NULL COMMENT 'System prompt template with @module_name placeholders.',
    mode VARCHAR(20) NOT NULL DEFAULT 'reactive' COMMENT 'Operating mode: reactive (answers) or autonomous (runs a loop).',
    loop_frequency VARCHAR(10) COMMENT 'Seconds between autonomous iterations, as text (e.g. ''5.0''); only for autonomous personas.',
    first_message TEXT COMMENT 'Optional message the persona opens a conversation with.',
    image_path VARCHAR(500) COMMENT 'Path to the persona''s avatar image.',
    extra_data TEXT COMMENT 'Additional metadata.',
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id) /*T![clustered_index] CLUSTERED */,
    UNIQUE KEY unique_persona_name (name),
    CONSTRAINT valid_persona_mode CHECK (mode IN ('reactive', 'autonomous')),
    CONSTRAINT valid_loop_frequency CHECK (loop_frequency IS NULL OR (mode = 'autonomous' AND loop_frequency REGEXP '^[0-9]*[.]?[0-9]+$' AND CAST(loop_frequency AS DOUBLE) > 0))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='AI persona configurations with system prompt templates';

-- create table sessions
CREATE TABLE IF NOT EXISTS sessions (
    id VARCHAR(255) NOT NULL COMMENT 'Session id, supplied by the application.',
    created_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6),
    updated_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6),
    name TEXT,
    query TEXT NOT NULL COMMENT 'The user''s query; the embedding source.',
    user_rating BIGINT,
    agent TEXT,
    parent_session_id TEXT COMMENT 'Id of the parent session (no foreign key).',
    thread_id TEXT,
    channel_id TEXT,
    channel_type TEXT COMMENT 'Channel: slack, web, api, email or mobile (stored as text, not checked).',
    session_type TEXT COMMENT 'chat, api, batch, analysis, dreaming or assistant-chat-response (stored as text, not checked; the Python default ''chat'' is not a SQL default).',
    metadata TEXT COMMENT 'Free-form session metadata object.',
    session_completed_at TIMESTAMP(6),
    graph_paths TEXT COMMENT 'JSON array of graph path strings.',
    userid TEXT,
    tenant_id VARCHAR(255) NOT NULL COMMENT 'Owning tenant (system column added by the p8fs providers).',
    PRIMARY KEY (id) /*T![clustered_index] CLUSTERED */
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='User sessions (chat and agent runs); no business-key unique constraint because the key field is id.';

-- create index idx_conversations_persona_id on conversations
CREATE INDEX IF NOT EXISTS idx_conversations_persona_id ON conversations (persona_id);

-- create index idx_conversations_created_at on conversations
CREATE INDEX IF NOT EXISTS idx_conversations_created_at ON conversations (created_at);

-- create index idx_messages_conversation_id on messages
CREATE INDEX IF NOT EXISTS idx_messages_conversation_id ON messages (conversation_id);

-- create index idx_messages_created_at on messages
CREATE INDEX IF NOT EXISTS idx_messages_created_at ON messages (created_at);

-- create index idx_conversation_memories_conversation_id on conversation_memories
CREATE INDEX IF NOT EXISTS idx_conversation_memories_conversation_id ON conversation_memories (conversation_id);

-- create index idx_conversation_memories_sequence on conversation_memories
CREATE INDEX IF NOT EXISTS idx_conversation_memories_sequence ON conversation_memories (conversation_id, memory_sequence);

-- create index idx_conversation_memories_created_at on conversation_memories
CREATE INDEX IF NOT EXISTS idx_conversation_memories_created_at ON conversation_memories (created_at);

-- create index idx_modules_name on modules
CREATE INDEX IF NOT EXISTS idx_modules_name ON modules (name);

-- create index idx_modules_type on modules
CREATE INDEX IF NOT EXISTS idx_modules_type ON modules (type);

-- create index idx_modules_active on modules
CREATE INDEX IF NOT EXISTS idx_modules_active ON modules (is_active);

-- create index idx_modules_execution_context on modules
CREATE INDEX IF NOT EXISTS idx_modules_execution_context ON modules (execution_context);

-- create index idx_modules_ai_inference on modules
CREATE INDEX IF NOT EXISTS idx_modules_ai_inference ON modules (requires_ai_inference);

-- create index idx_modules_context_ai_active on modules
CREATE INDEX IF NOT EXISTS idx_modules_context_ai_active ON modules (execution_context, requires_ai_inference, is_active);

-- create index idx_conversation_states_conversation_id on conversation_states
CREATE INDEX IF NOT EXISTS idx_conversation_states_conversation_id ON conversation_states (conversation_id);

-- create index idx_conversation_states_module_id on conversation_states
CREATE INDEX IF NOT EXISTS idx_conversation_states_module_id ON conversation_states (module_id);

-- create index idx_conversation_states_executed_at on conversation_states
CREATE INDEX IF NOT EXISTS idx_conversation_states_executed_at ON conversation_states (executed_at);

-- create index idx_periods_entity_number on analysis_periods
CREATE INDEX IF NOT EXISTS idx_periods_entity_number ON analysis_periods (entity_type, entity_id, period_number);

-- create index idx_periods_analyzed_at on analysis_periods
CREATE INDEX IF NOT EXISTS idx_periods_analyzed_at ON analysis_periods (analyzed_at);

-- create index idx_periods_status on analysis_periods
CREATE INDEX IF NOT EXISTS idx_periods_status ON analysis_periods (status);

-- create index idx_snapshot_period_relevance on period_content_snapshots
CREATE INDEX IF NOT EXISTS idx_snapshot_period_relevance ON period_content_snapshots (period_id, relevance_score DESC);

-- create index idx_snapshot_content on period_content_snapshots
CREATE INDEX IF NOT EXISTS idx_snapshot_content ON period_content_snapshots (content_id);

-- create index unique_period_content on period_content_snapshots
CREATE UNIQUE INDEX IF NOT EXISTS unique_period_content ON period_content_snapshots (period_id, content_id);

-- create index idx_events_period on temporal_events
CREATE INDEX IF NOT EXISTS idx_events_period ON temporal_events (period_id);

-- create index idx_events_entity on temporal_events
CREATE INDEX IF NOT EXISTS idx_events_entity ON temporal_events (entity_type, entity_id, first_detected_at);

-- create index idx_events_resolution on temporal_events
CREATE INDEX IF NOT EXISTS idx_events_resolution ON temporal_events (entity_type, entity_id, resolved_at);

-- create index idx_events_type on temporal_events
CREATE INDEX IF NOT EXISTS idx_events_type ON temporal_events (event_type);

-- create index idx_effectiveness_period on crawl_effectiveness
CREATE INDEX IF NOT EXISTS idx_effectiveness_period ON crawl_effectiveness (period_id);

-- create index idx_effectiveness_entity on crawl_effectiveness
CREATE INDEX IF NOT EXISTS idx_effectiveness_entity ON crawl_effectiveness (entity_type, entity_id, created_at);

-- create index idx_effectiveness_platform on crawl_effectiveness
CREATE INDEX IF NOT EXISTS idx_effectiveness_platform ON crawl_effectiveness (platform);

-- create index idx_effectiveness_score on crawl_effectiveness
CREATE INDEX IF NOT EXISTS idx_effectiveness_score ON crawl_effectiveness (effectiveness_score DESC);

-- create index idx_personas_name on personas
CREATE INDEX IF NOT EXISTS idx_personas_name ON personas (name);

-- create index idx_personas_mode on personas
CREATE INDEX IF NOT EXISTS idx_personas_mode ON personas (mode);

-- create index idx_personas_active on personas
CREATE INDEX IF NOT EXISTS idx_personas_active ON personas (is_active);

-- add foreign key conversations_persona_id_fkey on conversations
ALTER TABLE conversations ADD CONSTRAINT conversations_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES personas (id) ON DELETE SET NULL;

-- add foreign key messages_conversation_id_fkey on messages
ALTER TABLE messages ADD CONSTRAINT messages_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE;

-- add foreign key conversation_states_module_id_fkey on conversation_states
ALTER TABLE conversation_states ADD CONSTRAINT conversation_states_module_id_fkey FOREIGN KEY (module_id) REFERENCES modules (id) ON DELETE CASCADE;

-- add foreign key fk_analysis_periods_superseded_by on analysis_periods
ALTER TABLE analysis_periods ADD CONSTRAINT fk_analysis_periods_superseded_by FOREIGN KEY (superseded_by) REFERENCES analysis_periods (id) ON DELETE SET NULL;

-- add foreign key fk_snapshots_period on period_content_snapshots
ALTER TABLE period_content_snapshots ADD CONSTRAINT fk_snapshots_period FOREIGN KEY (period_id) REFERENCES analysis_periods (id) ON DELETE CASCADE;

-- add foreign key fk_snapshots_content on period_content_snapshots
ALTER TABLE period_content_snapshots ADD CONSTRAINT fk_snapshots_content FOREIGN KEY (content_id) REFERENCES contents (id) ON DELETE CASCADE;

-- add foreign key fk_temporal_events_period on temporal_events
ALTER TABLE temporal_events ADD CONSTRAINT fk_temporal_events_period FOREIGN KEY (period_id) REFERENCES analysis_periods (id) ON DELETE CASCADE;

-- add foreign key fk_event_contents_event on event_contents
ALTER TABLE event_contents ADD CONSTRAINT fk_event_contents_event FOREIGN KEY (event_id) REFERENCES temporal_events (id) ON DELETE CASCADE;

-- add foreign key fk_event_contents_content on event_contents
ALTER TABLE event_contents ADD CONSTRAINT fk_event_contents_content FOREIGN KEY (content_id) REFERENCES contents (id) ON DELETE CASCADE;

-- add foreign key fk_crawl_effectiveness_period on crawl_effectiveness
ALTER TABLE crawl_effectiveness ADD CONSTRAINT fk_crawl_effectiveness_period FOREIGN KEY (period_id) REFERENCES analysis_periods (id) ON DELETE CASCADE;

-- create view v_period_timeline
CREATE OR REPLACE VIEW v_period_timeline AS
SELECT
    ap.id,
    ap.entity_type,
    ap.entity_id,
    ap.period_number,
    ap.period_start,
    ap.period_end,
    ap.analyzed_at,
    ap.duration_hours,
    ap.status,
    ap.content_count,
    ap.summary_short,
    ap.insights,
    ap.metrics,
    ap.metrics_delta,
    ap.quality_score,
    ap.completeness_score,
    (SELECT COUNT(*)
       FROM temporal_events te
      WHERE te.period_id = ap.id
        AND te.resolved_at IS NULL) AS unresolved_event_count,
    (SELECT COUNT(*)
       FROM crawl_effectiveness ce
      WHERE ce.period_id = ap.id) AS crawl_task_count
FROM analysis_periods ap
WHERE ap.status = 'active'
ORDER BY ap.entity_type, ap.entity_id, ap.period_number DESC;

-- create view v_entity_timeline_summary
CREATE OR REPLACE VIEW v_entity_timeline_summary AS
SELECT
    entity_type,
    entity_id,
    COUNT(*) AS total_periods,
    MIN(period_start) AS first_period_start,
    MAX(period_end) AS last_period_end,
    AVG(duration_hours) AS avg_period_duration,
    SUM(content_count) AS total_content_across_periods,
    AVG(quality_score) AS avg_quality_score,
    AVG(completeness_score) AS avg_completeness_score
FROM analysis_periods
WHERE status = 'active'
GROUP BY entity_type, entity_id;

-- create view v_crawl_effectiveness_ranking
CREATE OR REPLACE VIEW v_crawl_effectiveness_ranking AS
SELECT
    ce.entity_type,
    ce.entity_id,
    ce.platform,
    ce.query,
    ce.effectiveness_score,
    ce.total_found,
    ce.relevant_count,
    ce.high_value_count,
    ce.avg_relevance,
    ce.created_at,
    recent.recent_avg_effectiveness
FROM crawl_effectiveness ce
LEFT JOIN (
    SELECT ranked.entity_type,
           ranked.entity_id,
           ranked.platform,
           AVG(ranked.effectiveness_score) AS recent_avg_effectiveness
    FROM (SELECT ce2.entity_type,
                 ce2.entity_id,
                 ce2.platform,
                 ce2.effectiveness_score,
                 ROW_NUMBER() OVER (PARTITION BY ce2.entity_type, ce2.entity_id, ce2.platform
                                    ORDER BY ce2.created_at DESC) AS rn
            FROM crawl_effectiveness ce2) ranked
    WHERE ranked.rn <= 3
    GROUP BY ranked.entity_type, ranked.entity_id, ranked.platform
) recent
  ON recent.entity_type = ce.entity_type
 AND recent.entity_id = ce.entity_id
 AND recent.platform = ce.platform
ORDER BY ce.effectiveness_score IS NULL, ce.effectiveness_score DESC;

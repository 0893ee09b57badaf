-- schemactl migration 20251018_142000_baseline: up (postgres)
-- registry sha256: 88abf66dbee543d8b8ed0fe126d674225e5f156cf5820831db5ec001dad630cc
-- Planned by `schemactl migrate new`.
-- Safe to run twice: every statement uses IF [NOT] EXISTS or is guarded.
SET lock_timeout = '5s';

-- create extension btree_gist
CREATE EXTENSION IF NOT EXISTS btree_gist;
COMMENT ON EXTENSION btree_gist IS 'GiST operator classes for scalar types (needed by the no_overlapping_periods exclusion constraint).';

-- create extension pg_trgm
CREATE EXTENSION IF NOT EXISTS pg_trgm;
COMMENT ON EXTENSION pg_trgm IS 'Trigram matching (GIN index on crawl_effectiveness.query).';

-- create enum type execution_context
DO $$
BEGIN
    CREATE TYPE public.execution_context AS ENUM ('IMMEDIATE', 'POST_RESPONSE', 'ON_DEMAND');
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
COMMENT ON TYPE public.execution_context IS 'When a module runs: IMMEDIATE (stages 1-2, template resolution), POST_RESPONSE (stages 4-5, after the AI response), ON_DEMAND (only when triggered).';

-- create table conversations
CREATE TABLE IF NOT EXISTS public.conversations (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    title VARCHAR(255) NOT NULL,
    persona_id UUID,
    provider_type VARCHAR(50),
    provider_config JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT conversations_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.conversations IS 'Chat conversation sessions linked to personas';
COMMENT ON COLUMN public.conversations.persona_id IS 'Persona the conversation is held with; NULL once that persona is deleted.';
COMMENT ON COLUMN public.conversations.provider_type IS 'LLM provider, e.g. openai or ollama.';
COMMENT ON COLUMN public.conversations.provider_config IS 'Snapshot of the provider configuration at conversation start.';

-- create table messages
CREATE TABLE IF NOT EXISTS public.messages (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    conversation_id UUID NOT NULL,
    role VARCHAR(20) NOT NULL,
    content TEXT NOT NULL,
    thinking TEXT,
    extra_data JSONB,
    input_tokens INTEGER,
    output_tokens INTEGER,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT messages_pkey PRIMARY KEY (id),
    CONSTRAINT valid_message_role CHECK (role IN ('user', 'assistant', 'system'))
);
COMMENT ON TABLE public.messages IS 'Individual messages within conversations with optional thinking content';
COMMENT ON COLUMN public.messages.thinking IS 'AI reasoning content for native reasoning models';
COMMENT ON COLUMN public.messages.extra_data IS 'Additional metadata.';
COMMENT ON COLUMN public.messages.input_tokens IS 'Token count of the prompt.';
COMMENT ON COLUMN public.messages.output_tokens IS 'Token count of the completion.';

-- create table conversation_memories
CREATE TABLE IF NOT EXISTS public.conversation_memories (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    conversation_id UUID NOT NULL,
    memory_sequence INTEGER NOT NULL,
    compressed_content TEXT NOT NULL,
    original_message_range VARCHAR(20) NOT NULL,
    message_count_at_compression INTEGER NOT NULL,
    first_message_id VARCHAR(100),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT conversation_memories_pkey PRIMARY KEY (id),
    CONSTRAINT unique_conversation_memory_sequence UNIQUE (conversation_id, memory_sequence),
    CONSTRAINT check_positive_memory_sequence CHECK (memory_sequence > 0),
    CONSTRAINT check_non_empty_content CHECK (char_length(compressed_content) > 0),
    CONSTRAINT check_positive_message_count CHECK (message_count_at_compression > 0)
);
COMMENT ON TABLE public.conversation_memories IS 'Stores AI-compressed long-term conversation memories from fixed buffer window (messages 25-35)';
COMMENT ON COLUMN public.conversation_memories.conversation_id IS 'UUID of the conversation this memory belongs to';
COMMENT ON COLUMN public.conversation_memories.memory_sequence IS 'Sequential numbering of memories for this conversation (1, 2, 3...)';
COMMENT ON COLUMN public.conversation_memories.compressed_content IS 'AI-generated summary of the conversation segment';
COMMENT ON COLUMN public.conversation_memories.original_message_range IS 'Range of messages that were compressed (e.g. "25-35")';
COMMENT ON COLUMN public.conversation_memories.message_count_at_compression IS 'Total message count in conversation when this compression occurred';
COMMENT ON COLUMN public.conversation_memories.first_message_id IS 'ID of the first message in the compressed range, used to prevent duplicate compressions of the same message set';
COMMENT ON COLUMN public.conversation_memories.created_at IS 'Timestamp when this memory was created and stored';

-- create table modules
CREATE TABLE IF NOT EXISTS public.modules (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    name VARCHAR(255) NOT NULL,
    description TEXT,
    content TEXT,
    type VARCHAR(20) NOT NULL DEFAULT 'simple',
    trigger_pattern VARCHAR(500),
    script TEXT,
    execution_context public.execution_context NOT NULL DEFAULT 'ON_DEMAND',
    requires_ai_inference BOOLEAN NOT NULL DEFAULT FALSE,
    script_analysis_metadata JSONB DEFAULT '{}'::jsonb,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT modules_pkey PRIMARY KEY (id),
    CONSTRAINT unique_module_name UNIQUE (name),
    CONSTRAINT valid_module_type CHECK (type IN ('simple', 'advanced')),
    CONSTRAINT valid_module_name_format CHECK (name ~ '^[a-z][a-z0-9_]{0,49}$' AND LENGTH(name) <= 50)
);
COMMENT ON TABLE public.modules IS 'Cognitive system modules (simple text or advanced Python scripts)';
COMMENT ON COLUMN public.modules.name IS 'Module name as used in @module_name template placeholders.';
COMMENT ON COLUMN public.modules.content IS 'Module content - can be empty for modules that will be populated dynamically';
COMMENT ON COLUMN public.modules.type IS 'simple (static text) or advanced (Python script).';
COMMENT ON COLUMN public.modules.trigger_pattern IS 'Regex or keyword that activates the module.';
COMMENT ON COLUMN public.modules.script IS 'Python script of an advanced module.';
COMMENT ON COLUMN public.modules.execution_context IS 'When module executes: immediate (during template resolution), post_response (after AI response), on_demand (triggered)';
COMMENT ON COLUMN public.modules.requires_ai_inference IS 'Whether module script uses AI generation/reflection functions (auto-detected)';
COMMENT ON COLUMN public.modules.script_analysis_metadata IS 'Metadata about script analysis (detected functions, complexity, etc.)';

-- create table conversation_states
CREATE TABLE IF NOT EXISTS public.conversation_states (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    conversation_id UUID NOT NULL,
    module_id UUID NOT NULL,
    execution_stage VARCHAR(20) NOT NULL,
    variables JSONB NOT NULL DEFAULT '{}'::jsonb,
    execution_metadata JSONB DEFAULT '{}'::jsonb,
    executed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT conversation_states_pkey PRIMARY KEY (id),
    CONSTRAINT unique_conversation_module_stage UNIQUE (conversation_id, module_id, execution_stage),
    CONSTRAINT valid_execution_stage CHECK (execution_stage IN ('stage4', 'stage5'))
);
COMMENT ON TABLE public.conversation_states IS 'Stores execution state for POST_RESPONSE modules across conversations';
COMMENT ON COLUMN public.conversation_states.conversation_id IS 'Conversation the state belongs to (no foreign key).';
COMMENT ON COLUMN public.conversation_states.module_id IS 'Module whose run produced this state.';
COMMENT ON COLUMN public.conversation_states.execution_stage IS 'Stage 4 (non-AI) or Stage 5 (AI-powered) post-response execution';
COMMENT ON COLUMN public.conversation_states.variables IS 'Module script output variables stored as JSON for next conversation';
COMMENT ON COLUMN public.conversation_states.execution_metadata IS 'Metadata about script execution (success, timing, errors, etc.)';

-- create table moments
CREATE TABLE IF NOT EXISTS public.moments (
    id UUID NOT NULL,
    created_at TIMESTAMPTZ DEFAULT now(),
    updated_at TIMESTAMPTZ DEFAULT now(),
    name TEXT NOT NULL,
    category TEXT,
    content TEXT NOT NULL,
    summary TEXT,
    ordinal BIGINT,
    uri TEXT,
    metadata JSONB,
    graph_paths JSONB,
    resource_timestamp TIMESTAMPTZ,
    userid TEXT,
    resource_ends_timestamp TIMESTAMPTZ,
    present_persons JSONB,
    location TEXT,
    background_sounds TEXT,
    moment_type TEXT,
    emotion_tags TEXT[],
    topic_tags TEXT[],
    images TEXT[],
    tenant_id TEXT NOT NULL,
    CONSTRAINT moments_pkey PRIMARY KEY (id),
    CONSTRAINT moments_name_tenant_id_key UNIQUE (name, tenant_id)
);
COMMENT ON TABLE public.moments IS 'Moments captured for a tenant; a Moment is a Resource with a start and end time, people present and emotional context.';
COMMENT ON COLUMN public.moments.id IS 'Entity id, computed by the application (uuid5 of tenant, uri and ordinal).';
COMMENT ON COLUMN public.moments.name IS 'Business key of the moment, unique per tenant.';
COMMENT ON COLUMN public.moments.content IS 'Text of the moment; the embedding source.';
COMMENT ON COLUMN public.moments.ordinal IS 'Position of the chunk within its source (the Python default 0 is not a SQL default).';
COMMENT ON COLUMN public.moments.metadata IS 'Free-form metadata object.';
COMMENT ON COLUMN public.moments.graph_paths IS 'JSON array of inline graph edges (dst, rel_type, weight, properties, created_at).';
COMMENT ON COLUMN public.moments.resource_timestamp IS 'The moment''s start time; the end is resource_ends_timestamp.';
COMMENT ON COLUMN public.moments.resource_ends_timestamp IS 'End time of the moment.';
COMMENT ON COLUMN public.moments.present_persons IS 'JSON array of people present (fingerprint_id, user_id, user_label).';
COMMENT ON COLUMN public.moments.location IS 'GPS coordinates or free-text place.';
COMMENT ON COLUMN public.moments.moment_type IS 'Free text, e.g. conversation, meeting, observation, reflection (no check on purpose).';
COMMENT ON COLUMN public.moments.emotion_tags IS 'Fine-grained emotion tags.';
COMMENT ON COLUMN public.moments.topic_tags IS 'Topic tags.';
COMMENT ON COLUMN public.moments.images IS 'URIs to representative images associated with the moment.';
COMMENT ON COLUMN public.moments.tenant_id IS 'Owning tenant (system column added by the p8fs providers).';

-- create table analysis_periods
CREATE TABLE IF NOT EXISTS public.analysis_periods (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    entity_type VARCHAR(20) NOT NULL,
    entity_id UUID NOT NULL,
    period_start TIMESTAMPTZ NOT NULL,
    period_end TIMESTAMPTZ NOT NULL,
    analyzed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    period_number INTEGER NOT NULL,
    duration_hours DOUBLE PRECISION NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'active',
    superseded_by UUID,
    supersession_reason TEXT,
    content_count INTEGER NOT NULL DEFAULT 0,
    summary TEXT NOT NULL,
    summary_short TEXT,
    insights JSONB NOT NULL DEFAULT '{}'::jsonb,
    metrics JSONB NOT NULL DEFAULT '{}'::jsonb,
    metrics_delta JSONB NOT NULL DEFAULT '{}'::jsonb,
    tasks_dispatched UUID[] NOT NULL DEFAULT '{}',
    tasks_summary JSONB NOT NULL DEFAULT '{}'::jsonb,
    chat_summary TEXT,
    knowledge_version INTEGER NOT NULL DEFAULT 1,
    knowledge_doc TEXT,
    knowledge_diff JSONB,
    quality_score DOUBLE PRECISION,
    completeness_score DOUBLE PRECISION,
    execution_log JSONB DEFAULT '{}'::jsonb,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT analysis_periods_pkey PRIMARY KEY (id),
    CONSTRAINT valid_entity_type CHECK (entity_type IN ('topic', 'user')),
    CONSTRAINT valid_status CHECK (status IN ('active', 'draft', 'superseded', 'failed', 'archived')),
    CONSTRAINT valid_quality_score CHECK (quality_score >= 0 AND quality_score <= 1),
    CONSTRAINT valid_completeness_score CHECK (completeness_score >= 0 AND completeness_score <= 1),
    CONSTRAINT valid_period CHECK (period_end > period_start),
    CONSTRAINT no_overlapping_periods EXCLUDE USING gist (entity_type WITH =, entity_id WITH =, (tstzrange(period_start, period_end)) WITH &&) WHERE (status = 'active')
);
COMMENT ON TABLE public.analysis_periods IS 'One complete analysis cycle of a topic or user; superseded rows are kept (soft delete via status and superseded_by).';
COMMENT ON COLUMN public.analysis_periods.entity_id IS 'topics.id or users.id depending on entity_type (polymorphic, so no foreign key).';
COMMENT ON COLUMN public.analysis_periods.period_number IS 'Sequence number of the period within its entity, starting at 0 for the legacy period.';
COMMENT ON COLUMN public.analysis_periods.superseded_by IS 'The period that replaced this one when it was re-analysed.';
COMMENT ON COLUMN public.analysis_periods.metrics IS 'Named numeric metrics of the period, e.g. {"content_count": 42}.';
COMMENT ON COLUMN public.analysis_periods.metrics_delta IS 'Change of the metrics against the previous active period (see recompute_metrics_delta).';
COMMENT ON COLUMN public.analysis_periods.tasks_dispatched IS 'Ids of the crawl tasks dispatched during the period.';
COMMENT ON COLUMN public.analysis_periods.knowledge_doc IS 'The analyst''s knowledge document as of this period.';
COMMENT ON COLUMN public.analysis_periods.execution_log IS 'The analyst run''s log, kept for debugging.';

-- create table period_content_snapshots
CREATE TABLE IF NOT EXISTS public.period_content_snapshots (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    period_id UUID NOT NULL,
    content_id UUID NOT NULL,
    contribution_type VARCHAR(32) NOT NULL DEFAULT 'general',
    relevance_score DOUBLE PRECISION,
    text_snapshot TEXT,
    key_points_snapshot JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT period_content_snapshots_pkey PRIMARY KEY (id),
    CONSTRAINT valid_relevance_score CHECK (relevance_score >= 0 AND relevance_score <= 1)
);
COMMENT ON TABLE public.period_content_snapshots IS 'Which contents fed a period, frozen as they were when the period was analysed.';
COMMENT ON COLUMN public.period_content_snapshots.text_snapshot IS 'The content''s text at analysis time (contents may change later).';

-- create table temporal_events
CREATE TABLE IF NOT EXISTS public.temporal_events (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    period_id UUID NOT NULL,
    entity_type VARCHAR(20) NOT NULL,
    entity_id UUID NOT NULL,
    event_type VARCHAR(32) NOT NULL,
    severity VARCHAR(16) NOT NULL DEFAULT 'info',
    title VARCHAR(256) NOT NULL,
    description TEXT NOT NULL,
    first_detected_at TIMESTAMPTZ NOT NULL,
    last_updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    resolved_at TIMESTAMPTZ,
    resolution_note TEXT,
    metadata JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT temporal_events_pkey PRIMARY KEY (id),
    CONSTRAINT valid_event_entity_type CHECK (entity_type IN ('topic', 'user')),
    CONSTRAINT valid_severity CHECK (severity IN ('info', 'warning', 'critical'))
);
COMMENT ON TABLE public.temporal_events IS 'Significant events detected for an entity, tracked from detection to resolution across periods.';
COMMENT ON COLUMN public.temporal_events.period_id IS 'Period in which the event was detected.';
COMMENT ON COLUMN public.temporal_events.event_type IS 'Free text, not checked.';
COMMENT ON COLUMN public.temporal_events.resolved_at IS 'NULL while the event is unresolved.';
COMMENT ON COLUMN public.temporal_events.metadata IS 'Event details (the ORM attribute is called event_metadata).';

-- create table event_contents
CREATE TABLE IF NOT EXISTS public.event_contents (
    event_id UUID NOT NULL,
    content_id UUID NOT NULL,
    relevance_to_event DOUBLE PRECISION,
    added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT event_contents_pkey PRIMARY KEY (event_id, content_id),
    CONSTRAINT valid_event_relevance CHECK (relevance_to_event >= 0 AND relevance_to_event <= 1)
);
COMMENT ON TABLE public.event_contents IS 'Contents that evidence a temporal event.';

-- create table crawl_effectiveness
CREATE TABLE IF NOT EXISTS public.crawl_effectiveness (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    period_id UUID NOT NULL,
    entity_type VARCHAR(20) NOT NULL,
    entity_id UUID NOT NULL,
    platform VARCHAR(16) NOT NULL,
    query TEXT NOT NULL,
    total_found INTEGER NOT NULL DEFAULT 0,
    relevant_count INTEGER NOT NULL DEFAULT 0,
    high_value_count INTEGER NOT NULL DEFAULT 0,
    effectiveness_score DOUBLE PRECISION,
    avg_relevance DOUBLE PRECISION,
    coverage_ratio DOUBLE PRECISION,
    recommendations TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT crawl_effectiveness_pkey PRIMARY KEY (id),
    CONSTRAINT valid_crawl_entity_type CHECK (entity_type IN ('topic', 'user')),
    CONSTRAINT valid_effectiveness_score CHECK (effectiveness_score >= 0 AND effectiveness_score <= 1),
    CONSTRAINT valid_avg_relevance CHECK (avg_relevance >= 0 AND avg_relevance <= 1),
    CONSTRAINT valid_coverage_ratio CHECK (coverage_ratio >= 0 AND coverage_ratio <= 1)
);
COMMENT ON TABLE public.crawl_effectiveness IS 'How well each crawl query of a period worked, per platform, so the analyst can tune the next period''s queries.';
COMMENT ON COLUMN public.crawl_effectiveness.query IS 'The crawl query as sent to the platform.';
COMMENT ON COLUMN public.crawl_effectiveness.recommendations IS 'The analyst''s advice for the next period''s queries.';

-- create table personas
CREATE TABLE IF NOT EXISTS public.personas (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    name VARCHAR(255) NOT NULL,
    description TEXT,
    template TEXT NOT NULL,
    mode VARCHAR(20) NOT NULL DEFAULT 'reactive',
    loop_frequency VARCHAR(10),
    first_message TEXT,
    image_path VARCHAR(500),
    extra_data JSONB,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT personas_pkey PRIMARY KEY (id),
    CONSTRAINT unique_persona_name UNIQUE (name),
    CONSTRAINT valid_persona_mode CHECK (mode IN ('reactive', 'autonomous')),
    CONSTRAINT valid_loop_frequency CHECK (loop_frequency IS NULL OR (mode = 'autonomous' AND loop_frequency ~ '^[0-9]*[.]?[0-9]+$' AND CAST(loop_frequency AS FLOAT) > 0))
);
COMMENT ON TABLE public.personas IS 'AI persona configurations with system prompt templates';
COMMENT ON COLUMN public.personas.name IS 'Display name; unique so users can tell personas apart.';
COMMENT ON COLUMN public.personas.template IS 'System prompt template with @module_name placeholders.';
COMMENT ON COLUMN public.personas.mode IS 'Operating mode: reactive (answers) or autonomous (runs a loop).';
COMMENT ON COLUMN public.personas.loop_frequency IS 'Seconds between autonomous iterations, as text (e.g. ''5.0''); only for autonomous personas.';
COMMENT ON COLUMN public.personas.first_message IS 'Optional message the persona opens a conversation with.';
COMMENT ON COLUMN public.personas.image_path IS 'Path to the persona''s avatar image.';
COMMENT ON COLUMN public.personas.extra_data IS 'Additional metadata.';

-- create table sessions
CREATE TABLE IF NOT EXISTS public.sessions (
    id UUID NOT NULL,
    created_at TIMESTAMPTZ DEFAULT now(),
    updated_at TIMESTAMPTZ DEFAULT now(),
    name TEXT,
    query TEXT NOT NULL,
    user_rating BIGINT,
    agent TEXT,
    parent_session_id TEXT,
    thread_id TEXT,
    channel_id TEXT,
    channel_type TEXT,
    session_type TEXT,
    metadata JSONB,
    session_completed_at TIMESTAMPTZ,
    graph_paths JSONB,
    userid TEXT,
    tenant_id TEXT NOT NULL,
    CONSTRAINT sessions_pkey PRIMARY KEY (id)
);
COMMENT ON TABLE public.sessions IS 'User sessions (chat and agent runs); no business-key unique constraint because the key field is id.';
COMMENT ON COLUMN public.sessions.id IS 'Session id, supplied by the application.';
COMMENT ON COLUMN public.sessions.query IS 'The user''s query; the embedding source.';
COMMENT ON COLUMN public.sessions.parent_session_id IS 'Id of the parent session (no foreign key).';
COMMENT ON COLUMN public.sessions.channel_type IS 'Channel: slack, web, api, email or mobile (stored as text, not checked).';
COMMENT ON COLUMN public.sessions.session_type IS 'chat, api, batch, analysis, dreaming or assistant-chat-response (stored as text, not checked; the Python default ''chat'' is not a SQL default).';
COMMENT ON COLUMN public.sessions.metadata IS 'Free-form session metadata object.';
COMMENT ON COLUMN public.sessions.graph_paths IS 'JSON array of graph path strings.';
COMMENT ON COLUMN public.sessions.tenant_id IS 'Owning tenant (system column added by the p8fs providers).';

-- add foreign key conversations_persona_id_fkey on conversations
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'conversations_persona_id_fkey' AND conrelid = 'public.conversations'::regclass) THEN
        ALTER TABLE public.conversations ADD CONSTRAINT conversations_persona_id_fkey FOREIGN KEY (persona_id) REFERENCES public.personas (id) ON DELETE SET NULL;
    END IF;
END
$$;

-- add foreign key messages_conversation_id_fkey on messages
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'messages_conversation_id_fkey' AND conrelid = 'public.messages'::regclass) THEN
        ALTER TABLE public.messages ADD CONSTRAINT messages_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES public.conversations (id) ON DELETE CASCADE;
    END IF;
END
$$;

-- add foreign key conversation_states_module_id_fkey on conversation_states
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'conversation_states_module_id_fkey' AND conrelid = 'public.conversation_states'::regclass) THEN
        ALTER TABLE public.conversation_states ADD CONSTRAINT conversation_states_module_id_fkey FOREIGN KEY (module_id) REFERENCES public.modules (id) ON DELETE CASCADE;
    END IF;
END
$$;

-- add foreign key fk_analysis_periods_superseded_by on analysis_periods
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_analysis_periods_superseded_by' AND conrelid = 'public.analysis_periods'::regclass) THEN
        ALTER TABLE public.analysis_periods ADD CONSTRAINT fk_analysis_periods_superseded_by FOREIGN KEY (superseded_by) REFERENCES public.analysis_periods (id) ON DELETE SET NULL;
    END IF;
END
$$;

-- add foreign key fk_snapshots_period on period_content_snapshots
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_snapshots_period' AND conrelid = 'public.period_content_snapshots'::regclass) THEN
        ALTER TABLE public.period_content_snapshots ADD CONSTRAINT fk_snapshots_period FOREIGN KEY (period_id) REFERENCES public.analysis_periods (id) ON DELETE CASCADE;
    END IF;
END
$$;

-- add foreign key fk_snapshots_content on period_content_snapshots
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_snapshots_content' AND conrelid = 'public.period_content_snapshots'::regclass) THEN
        ALTER TABLE public.period_content_snapshots ADD CONSTRAINT fk_snapshots_content FOREIGN KEY (content_id) REFERENCES public.contents (id) ON DELETE CASCADE;
    END IF;
END
$$;

-- add foreign key fk_temporal_events_period on temporal_events
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_temporal_events_period' AND conrelid = 'public.temporal_events'::regclass) THEN
        ALTER TABLE public.temporal_events ADD CONSTRAINT fk_temporal_events_period FOREIGN KEY (period_id) REFERENCES public.analysis_periods (id) ON DELETE CASCADE;
    END IF;
END
$$;

-- add foreign key fk_event_contents_event on event_contents
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_event_contents_event' AND conrelid = 'public.event_contents'::regclass) THEN
        ALTER TABLE public.event_contents ADD CONSTRAINT fk_event_contents_event FOREIGN KEY (event_id) REFERENCES public.temporal_events (id) ON DELETE CASCADE;
    END IF;
END
$$;

-- add foreign key fk_event_contents_content on event_contents
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_event_contents_content' AND conrelid = 'public.event_contents'::regclass) THEN
        ALTER TABLE public.event_contents ADD CONSTRAINT fk_event_contents_content FOREIGN KEY (content_id) REFERENCES public.contents (id) ON DELETE CASCADE;
    END IF;
END
$$;

-- add foreign key fk_crawl_effectiveness_period on crawl_effectiveness
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_crawl_effectiveness_period' AND conrelid = 'public.crawl_effectiveness'::regclass) THEN
        ALTER TABLE public.crawl_effectiveness ADD CONSTRAINT fk_crawl_effectiveness_period FOREIGN KEY (period_id) REFERENCES public.analysis_periods (id) ON DELETE CASCADE;
    END IF;
END
$$;

-- create index idx_conversations_persona_id on conversations
CREATE INDEX IF NOT EXISTS idx_conversations_persona_id ON public.conversations (persona_id);

-- create index idx_conversations_created_at on conversations
CREATE INDEX IF NOT EXISTS idx_conversations_created_at ON public.conversations (created_at);

-- create index idx_messages_conversation_id on messages
CREATE INDEX IF NOT EXISTS idx_messages_conversation_id ON public.messages (conversation_id);

-- create index idx_messages_created_at on messages
CREATE INDEX IF NOT EXISTS idx_messages_created_at ON public.messages (created_at);

-- create index idx_conversation_memories_conversation_id on conversation_memories
CREATE INDEX IF NOT EXISTS idx_conversation_memories_conversation_id ON public.conversation_memories (conversation_id);

-- create index idx_conversation_memories_sequence on conversation_memories
CREATE INDEX IF NOT EXISTS idx_conversation_memories_sequence ON public.conversation_memories (conversation_id, memory_sequence);

-- create index idx_conversation_memories_created_at on conversation_memories
CREATE INDEX IF NOT EXISTS idx_conversation_memories_created_at ON public.conversation_memories (created_at);

-- create index idx_modules_name on modules
CREATE INDEX IF NOT EXISTS idx_modules_name ON public.modules (name);

-- create index idx_modules_type on modules
CREATE INDEX IF NOT EXISTS idx_modules_type ON public.modules (type);

-- create index idx_modules_active on modules
CREATE INDEX IF NOT EXISTS idx_modules_active ON public.modules (is_active);

-- create index idx_modules_execution_context on modules
CREATE INDEX IF NOT EXISTS idx_modules_execution_context ON public.modules (execution_context);

-- create index idx_modules_ai_inference on modules
CREATE INDEX IF NOT EXISTS idx_modules_ai_inference ON public.modules (requires_ai_inference);

-- create index idx_modules_context_ai_active on modules
CREATE INDEX IF NOT EXISTS idx_modules_context_ai_active ON public.modules (execution_context, requires_ai_inference, is_active);

-- create index idx_conversation_states_conversation_id on conversation_states
CREATE INDEX IF NOT EXISTS idx_conversation_states_conversation_id ON public.conversation_states (conversation_id);

-- create index idx_conversation_states_module_id on conversation_states
CREATE INDEX IF NOT EXISTS idx_conversation_states_module_id ON public.conversation_states (module_id);

-- create index idx_conversation_states_executed_at on conversation_states
CREATE INDEX IF NOT EXISTS idx_conversation_states_executed_at ON public.conversation_states (executed_at);

-- create index idx_moments_metadata_gin on moments
CREATE INDEX IF NOT EXISTS idx_moments_metadata_gin ON public.moments USING gin (metadata);

-- create index idx_moments_graph_paths_gin on moments
CREATE INDEX IF NOT EXISTS idx_moments_graph_paths_gin ON public.moments USING gin (graph_paths);

-- create index idx_moments_present_persons_gin on moments
CREATE INDEX IF NOT EXISTS idx_moments_present_persons_gin ON public.moments USING gin (present_persons);

-- create index idx_moments_emotion_tags_gin on moments
CREATE INDEX IF NOT EXISTS idx_moments_emotion_tags_gin ON public.moments USING gin (emotion_tags);

-- create index idx_moments_topic_tags_gin on moments
CREATE INDEX IF NOT EXISTS idx_moments_topic_tags_gin ON public.moments USING gin (topic_tags);

-- create index idx_moments_images_gin on moments
CREATE INDEX IF NOT EXISTS idx_moments_images_gin ON public.moments USING gin (images);

-- create index unique_active_period_number on analysis_periods
CREATE UNIQUE INDEX IF NOT EXISTS unique_active_period_number ON public.analysis_periods (entity_type, entity_id, period_number) WHERE (status = 'active');

-- create index idx_periods_topic on analysis_periods
CREATE INDEX IF NOT EXISTS idx_periods_topic ON public.analysis_periods (entity_id) WHERE (entity_type = 'topic');

-- create index idx_periods_user on analysis_periods
CREATE INDEX IF NOT EXISTS idx_periods_user ON public.analysis_periods (entity_id) WHERE (entity_type = 'user');

-- create index idx_periods_analyzed_at on analysis_periods
CREATE INDEX IF NOT EXISTS idx_periods_analyzed_at ON public.analysis_periods (analyzed_at);

-- create index idx_periods_status on analysis_periods
CREATE INDEX IF NOT EXISTS idx_periods_status ON public.analysis_periods (status);

-- create index idx_snapshot_period_covering on period_content_snapshots
CREATE INDEX IF NOT EXISTS idx_snapshot_period_covering ON public.period_content_snapshots (period_id, relevance_score DESC) INCLUDE (content_id, contribution_type, text_snapshot);

-- create index idx_snapshot_content on period_content_snapshots
CREATE INDEX IF NOT EXISTS idx_snapshot_content ON public.period_content_snapshots (content_id);

-- create index unique_period_content on period_content_snapshots
CREATE UNIQUE INDEX IF NOT EXISTS unique_period_content ON public.period_content_snapshots (period_id, content_id);

-- create index idx_events_period on temporal_events
CREATE INDEX IF NOT EXISTS idx_events_period ON public.temporal_events (period_id);

-- create index idx_events_entity on temporal_events
CREATE INDEX IF NOT EXISTS idx_events_entity ON public.temporal_events (entity_type, entity_id, first_detected_at);

-- create index idx_events_unresolved on temporal_events
CREATE INDEX IF NOT EXISTS idx_events_unresolved ON public.temporal_events (entity_type, entity_id, resolved_at) WHERE (resolved_at IS NULL);

-- create index idx_events_type on temporal_events
CREATE INDEX IF NOT EXISTS idx_events_type ON public.temporal_events (event_type);

-- create index idx_effectiveness_period on crawl_effectiveness
CREATE INDEX IF NOT EXISTS idx_effectiveness_period ON public.crawl_effectiveness (period_id);

-- create index idx_effectiveness_entity on crawl_effectiveness
CREATE INDEX IF NOT EXISTS idx_effectiveness_entity ON public.crawl_effectiveness (entity_type, entity_id, created_at);

-- create index idx_effectiveness_platform on crawl_effectiveness
CREATE INDEX IF NOT EXISTS idx_effectiveness_platform ON public.crawl_effectiveness (platform);

-- create index idx_effectiveness_query_trgm on crawl_effectiveness
CREATE INDEX IF NOT EXISTS idx_effectiveness_query_trgm ON public.crawl_effectiveness USING gin (query gin_trgm_ops);

-- create index idx_effectiveness_score on crawl_effectiveness
CREATE INDEX IF NOT EXISTS idx_effectiveness_score ON public.crawl_effectiveness (effectiveness_score DESC NULLS LAST);

-- create index idx_personas_name on personas
CREATE INDEX IF NOT EXISTS idx_personas_name ON public.personas (name);

-- create index idx_personas_mode on personas
CREATE INDEX IF NOT EXISTS idx_personas_mode ON public.personas (mode);

-- create index idx_personas_active on personas
CREATE INDEX IF NOT EXISTS idx_personas_active ON public.personas (is_active);

-- create index idx_sessions_metadata_gin on sessions
CREATE INDEX IF NOT EXISTS idx_sessions_metadata_gin ON public.sessions USING gin (metadata);

-- create index idx_sessions_graph_paths_gin on sessions
CREATE INDEX IF NOT EXISTS idx_sessions_graph_paths_gin ON public.sessions USING gin (graph_paths);

-- create function get_period_by_number
CREATE OR REPLACE FUNCTION public.get_period_by_number(p_entity_type VARCHAR(20), p_entity_id UUID, p_period_number INTEGER)
RETURNS SETOF analysis_periods
LANGUAGE plpgsql
STABLE
AS $function$
BEGIN
    RETURN QUERY
    SELECT ap.*
    FROM analysis_periods ap
    WHERE ap.entity_type = p_entity_type
      AND ap.entity_id = p_entity_id
      AND ap.period_number = p_period_number
      AND ap.status = 'active'
    LIMIT 1;
END;
$function$;
COMMENT ON FUNCTION public.get_period_by_number(p_entity_type VARCHAR(20), p_entity_id UUID, p_period_number INTEGER) IS 'The active period with the given number for an entity (at most one row).';

-- create function get_content_timeline
CREATE OR REPLACE FUNCTION public.get_content_timeline(p_entity_type VARCHAR(20), p_entity_id UUID, p_start_time TIMESTAMPTZ DEFAULT NULL, p_end_time TIMESTAMPTZ DEFAULT NULL, p_min_relevance DOUBLE PRECISION DEFAULT 0.0)
RETURNS TABLE (content_id UUID, period_id UUID, period_number INTEGER, contribution_type VARCHAR(32), relevance_score DOUBLE PRECISION, text_snapshot TEXT, period_start TIMESTAMPTZ, period_end TIMESTAMPTZ)
LANGUAGE plpgsql
STABLE
AS $function$
BEGIN
    -- Every column is qualified: the OUT columns of RETURNS TABLE share their names.
    RETURN QUERY
    SELECT
        pcs.content_id,
        pcs.period_id,
        ap.period_number,
        pcs.contribution_type,
        pcs.relevance_score,
        pcs.text_snapshot,
        ap.period_start,
        ap.period_end
    FROM period_content_snapshots pcs
    JOIN analysis_periods ap ON ap.id = pcs.period_id
    WHERE ap.entity_type = p_entity_type
      AND ap.entity_id = p_entity_id
      AND ap.status = 'active'
      AND (p_start_time IS NULL OR ap.period_start >= p_start_time)
      AND (p_end_time IS NULL OR ap.period_end <= p_end_time)
      AND (pcs.relevance_score IS NULL OR pcs.relevance_score >= p_min_relevance)
    ORDER BY ap.period_number DESC, pcs.relevance_score DESC NULLS LAST;
END;
$function$;
COMMENT ON FUNCTION public.get_content_timeline(p_entity_type VARCHAR(20), p_entity_id UUID, p_start_time TIMESTAMPTZ, p_end_time TIMESTAMPTZ, p_min_relevance DOUBLE PRECISION) IS 'Content snapshots of an entity''s active periods, optionally within a time window and above a minimum relevance; newest period first.';

-- create function detect_metric_anomalies
CREATE OR REPLACE FUNCTION public.detect_metric_anomalies(p_entity_type VARCHAR(20), p_entity_id UUID, p_metric_key TEXT, p_threshold_factor DOUBLE PRECISION DEFAULT 2.0)
RETURNS TABLE (period_id UUID, period_number INTEGER, metric_value DOUBLE PRECISION, avg_value DOUBLE PRECISION, stddev_value DOUBLE PRECISION, z_score DOUBLE PRECISION)
LANGUAGE plpgsql
STABLE
AS $function$
BEGIN
    RETURN QUERY
    WITH samples AS (
        SELECT ap.id AS sample_period_id,
               ap.period_number AS sample_period_number,
               (ap.metrics ->> p_metric_key)::DOUBLE PRECISION AS sample_value
        FROM analysis_periods ap
        WHERE ap.entity_type = p_entity_type
          AND ap.entity_id = p_entity_id
          AND ap.status = 'active'
          AND ap.metrics ? p_metric_key
    ),
    stats AS (
        SELECT AVG(s.sample_value) AS mean_val,
               STDDEV_SAMP(s.sample_value) AS stddev_val
        FROM samples s
    )
    SELECT s.sample_period_id,
           s.sample_period_number,
           s.sample_value,
           st.mean_val,
           st.stddev_val,
           (s.sample_value - st.mean_val) / st.stddev_val
    FROM samples s
    CROSS JOIN stats st
    WHERE st.stddev_val > 0
      AND ABS((s.sample_value - st.mean_val) / st.stddev_val) > p_threshold_factor
    ORDER BY s.sample_period_number DESC;
END;
$function$;
COMMENT ON FUNCTION public.detect_metric_anomalies(p_entity_type VARCHAR(20), p_entity_id UUID, p_metric_key TEXT, p_threshold_factor DOUBLE PRECISION) IS 'Active periods whose metric (metrics->>key) lies more than p_threshold_factor sample standard deviations from the entity''s mean.';

-- create function recompute_metrics_delta
CREATE OR REPLACE FUNCTION public.recompute_metrics_delta(p_period_id UUID)
RETURNS JSONB
LANGUAGE plpgsql
VOLATILE
AS $function$
DECLARE
    v_entity_type   VARCHAR(20);
    v_entity_id     UUID;
    v_period_number INTEGER;
    v_prev_metrics  JSONB;
    v_delta         JSONB;
BEGIN
    SELECT ap.entity_type, ap.entity_id, ap.period_number
      INTO v_entity_type, v_entity_id, v_period_number
    FROM analysis_periods ap
    WHERE ap.id = p_period_id
      AND ap.status = 'active';

    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    SELECT ap.metrics
      INTO v_prev_metrics
    FROM analysis_periods ap
    WHERE ap.entity_type = v_entity_type
      AND ap.entity_id = v_entity_id
      AND ap.period_number = v_period_number - 1
      AND ap.status = 'active';

    IF v_prev_metrics IS NOT NULL THEN
        v_delta := jsonb_build_object(
            'computed_at', now(),
            'prev_period_number', v_period_number - 1,
            'note', 'Delta computation requires custom logic per metric');
    ELSE
        v_delta := jsonb_build_object(
            'note', 'First period, no previous data for delta');
    END IF;

    UPDATE analysis_periods
       SET metrics_delta = v_delta,
           updated_at = now()
     WHERE id = p_period_id;

    RETURN v_delta;
END;
$function$;
COMMENT ON FUNCTION public.recompute_metrics_delta(p_period_id UUID) IS 'Writes a placeholder metrics_delta for an active period (per-metric differences need custom logic) and returns it; NULL when the period isn''t active or doesn''t exist.';

-- create view v_period_timeline
CREATE OR REPLACE VIEW public.v_period_timeline AS
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
COMMENT ON VIEW public.v_period_timeline IS 'Active periods, newest first per entity, with their unresolved event and crawl counts.';

-- create view v_entity_timeline_summary
CREATE OR REPLACE VIEW public.v_entity_timeline_summary AS
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
COMMENT ON VIEW public.v_entity_timeline_summary IS 'One row per topic or user over its active periods.';

-- create view v_crawl_effectiveness_ranking
CREATE OR REPLACE VIEW public.v_crawl_effectiveness_ranking AS
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
    (SELECT AVG(recent.effectiveness_score)
       FROM (SELECT ce2.effectiveness_score
               FROM crawl_effectiveness ce2
              WHERE ce2.entity_type = ce.entity_type
                AND ce2.entity_id = ce.entity_id
                AND ce2.platform = ce.platform
              ORDER BY ce2.created_at DESC
              LIMIT 3) recent) AS recent_avg_effectiveness
FROM crawl_effectiveness ce
ORDER BY ce.effectiveness_score DESC NULLS LAST;
COMMENT ON VIEW public.v_crawl_effectiveness_ranking IS 'Crawl queries, best first, each with the average effectiveness of the entity''s 3 newest queries on that platform.';

-- create materialized view mv_period_metrics_trend
CREATE MATERIALIZED VIEW IF NOT EXISTS public.mv_period_metrics_trend AS
SELECT
    ap.entity_type,
    ap.entity_id,
    ap.period_number,
    ap.analyzed_at,
    ap.metrics,
    ap.metrics_delta,
    LAG(ap.metrics, 1) OVER (PARTITION BY ap.entity_type, ap.entity_id
                             ORDER BY ap.period_number) AS prev_metrics,
    LAG(ap.metrics, 2) OVER (PARTITION BY ap.entity_type, ap.entity_id
                             ORDER BY ap.period_number) AS prev_prev_metrics
FROM analysis_periods ap
WHERE ap.status = 'active'
ORDER BY ap.entity_type, ap.entity_id, ap.period_number;
COMMENT ON MATERIALIZED VIEW public.mv_period_metrics_trend IS 'Each active period''s metrics next to those of the two periods before it. Not refreshed automatically - run REFRESH MATERIALIZED VIEW mv_period_metrics_trend on a schedule (the index is not unique, so not CONCURRENTLY).';
CREATE INDEX IF NOT EXISTS idx_mv_period_metrics_entity ON public.mv_period_metrics_trend (entity_type, entity_id, period_number);

-- Event ids a consumer has processed (see io.devops.common.consumer.IdempotentConsumer).
create table processed_event (
    consumer     text        not null,
    ce_id        text        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, ce_id)
);

create index processed_event_processed_at on processed_event (processed_at);

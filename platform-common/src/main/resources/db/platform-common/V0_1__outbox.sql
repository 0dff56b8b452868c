-- The transactional outbox (see io.devops.common.outbox). Created in the owning service's schema.
create table outbox (
    id          bigint generated always as identity primary key,
    ce_id       uuid        not null unique,
    ce_type     text        not null,
    ce_source   text        not null,
    ce_time     timestamptz not null,
    topic       text        not null,
    message_key text        not null,
    payload     text,
    traceparent text,
    sent_at     timestamptz
);

-- The relay reads only unsent rows, in id order; this index stays as small as the backlog.
create index outbox_unsent on outbox (id) where sent_at is null;
create index outbox_sent_at on outbox (sent_at) where sent_at is not null;

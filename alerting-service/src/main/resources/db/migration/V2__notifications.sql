-- Where notifications go. Secrets (webhook URLs, SMTP passwords, routing keys) are kept apart from
-- settings: the API writes them and never reads them back.
create table channel (
    id         uuid primary key,
    name       text        not null unique,
    type       text        not null check (type in ('slack', 'discord', 'email', 'webhook', 'pagerduty')),
    settings   jsonb       not null,
    secrets    jsonb       not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

-- The routing tree and the inhibition rules: one document, replaced whole, as an Alertmanager
-- configuration is. No row means the default (everything to no channel).
create table routing (
    id         smallint primary key check (id = 1),
    version    bigint      not null,
    document   jsonb       not null,
    updated_at timestamptz not null,
    updated_by text
);

-- Silences mute the alerts their matchers match between start and end. ended_notice_at records that
-- the alerts still firing when one ended were announced.
create table silence (
    id              uuid primary key,
    matchers        jsonb       not null,
    starts_at       timestamptz not null,
    ends_at         timestamptz not null,
    created_by      text,
    comment         text        not null,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    ended_notice_at timestamptz,
    check (ends_at > starts_at)
);

create index silence_ends_at on silence (ends_at);

-- Alerts grouped as a route's group_by says. A group is looked at (flushed) when next_flush_at
-- comes: group_wait after it forms, then for changes no sooner than group_interval after its last
-- notification, and every repeat_interval while something fires unacknowledged. The route's
-- settings are copied in, so a group drains as it was routed even after the tree changes.
-- pending_note says why the next notification comes (a silence ended).
create table notification_group (
    id            uuid primary key,
    route_path    text        not null,
    group_key     text        not null,
    group_labels  jsonb       not null,
    route         jsonb       not null,
    created_at    timestamptz not null,
    next_flush_at    timestamptz,
    last_flush_at    timestamptz,
    last_notified_at timestamptz,
    pending_note     text,
    unique (route_path, group_key)
);

create index notification_group_due on notification_group (next_flush_at) where next_flush_at is not null;

-- An alert in a group, with what the group last told about it (firing, resolved, or nothing yet)
-- and how many escalation steps it has had.
create table group_alert (
    group_id         uuid    not null references notification_group (id) on delete cascade,
    alert_id         uuid    not null references alert (id) on delete cascade,
    notified_status  text check (notified_status in ('firing', 'resolved')),
    escalation_level integer not null default 0,
    primary key (group_id, alert_id)
);

create index group_alert_alert on group_alert (alert_id);

-- What was said, to which alerts, and its delivery to each channel.
create table notification (
    id         uuid primary key,
    group_id   uuid,
    kind       text        not null check (kind in ('firing', 'resolved', 'repeat', 'escalation', 'silence_ended', 'test')),
    status     text        not null check (status in ('firing', 'resolved')),
    payload    jsonb       not null,
    created_at timestamptz not null
);

create index notification_created_at on notification (created_at);

create table notification_alert (
    notification_id uuid not null references notification (id) on delete cascade,
    alert_id        uuid not null references alert (id) on delete cascade,
    primary key (alert_id, notification_id)
);

create table delivery (
    id              uuid primary key,
    notification_id uuid        not null references notification (id) on delete cascade,
    channel_id      uuid references channel (id) on delete set null,
    channel_name    text        not null,
    status          text        not null check (status in ('pending', 'delivered', 'failed')),
    attempts        integer     not null,
    -- while a delivery is being sent, its next attempt is when the send is given up for lost
    next_attempt_at timestamptz,
    last_error      text,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    delivered_at    timestamptz
);

create index delivery_due on delivery (next_attempt_at) where status = 'pending';
create index delivery_notification on delivery (notification_id);

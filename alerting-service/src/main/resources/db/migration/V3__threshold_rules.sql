-- Metric threshold rules, evaluated on metrics.samples. A rule holds for a series (one metric's
-- samples with one label set on one node) while its value compares true with the threshold;
-- it fires once it has held for for_ms, in sample time.
create table threshold_rule (
    id          uuid primary key,
    name        text             not null unique,
    metric      text             not null,
    matchers    jsonb            not null,
    comparison  text             not null check (comparison in ('>', '>=', '<', '<=', '==', '!=')),
    threshold   double precision not null,
    for_ms      bigint           not null check (for_ms >= 0),
    severity    text             not null check (severity in ('info', 'warning', 'critical')),
    per_node    boolean          not null,
    group_by    jsonb            not null,
    labels      jsonb            not null,
    annotations jsonb            not null,
    enabled     boolean          not null,
    created_at  timestamptz      not null,
    updated_at  timestamptz      not null
);

-- Where each series of each rule stands: holding since pending_since, firing or not. alert_key
-- names the alert the series belongs to (per node or across nodes, and the group_by labels), so
-- that an alert resolves only when none of its series fires any more.
create table rule_state (
    rule_id       uuid        not null references threshold_rule (id) on delete cascade,
    node_id       text        not null,
    series        text        not null,
    alert_key     text        not null,
    pending_since timestamptz not null,
    firing        boolean     not null,
    value         double precision not null,
    evaluated_at  timestamptz not null,
    primary key (rule_id, node_id, series)
);

create index rule_state_firing on rule_state (rule_id, alert_key) where firing;

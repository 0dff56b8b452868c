-- Host metrics from the collector agents (metrics.samples, nodes.inventory).

-- A node: its facts from nodes.inventory, and when its samples last arrived.
create table node (
    id            text primary key,
    hostname      text        not null,
    type          text        not null default 'server',
    os_family     text,
    os_version    text,
    kernel        text,
    cpu_model     text,
    cpu_cores     int,
    memory_bytes  bigint,
    disks         jsonb       not null default '[]',
    ip_addresses  text[]      not null default '{}',
    agent_version text,
    facts_at      timestamptz,
    last_seen     timestamptz,
    created_at    timestamptz not null default now()
);

-- A series: one metric of one node with one set of labels. Samples refer to it by id, so labels
-- are stored once, not once per sample.
create table metric_series (
    id      bigint generated always as identity primary key,
    node_id text  not null,
    name    text  not null,
    labels  jsonb not null,
    unique (node_id, name, labels)
);
create index metric_series_name on metric_series (name);

-- Raw samples, partitioned by day like check results; retention drops whole partitions.
create table metric_sample (
    series_id bigint           not null,
    ts        timestamptz      not null,
    value     double precision not null
) partition by range (ts);
create index metric_sample_series_time on metric_sample (series_id, ts desc);
create index metric_sample_time on metric_sample (ts desc);

-- Rollups for long ranges: a minute and an hour per row.
create table metric_rollup_1m (
    series_id bigint           not null,
    bucket    timestamptz      not null,
    samples   int              not null,
    sum       double precision not null,
    min       double precision not null,
    max       double precision not null,
    last      double precision not null,
    primary key (series_id, bucket)
);
create index metric_rollup_1m_bucket on metric_rollup_1m (bucket);
create table metric_rollup_1h (like metric_rollup_1m including all);

-- Hours whose rollups must be (re)computed: marked by every ingest, late batches included.
create table metric_rollup_pending (
    bucket timestamptz primary key
);

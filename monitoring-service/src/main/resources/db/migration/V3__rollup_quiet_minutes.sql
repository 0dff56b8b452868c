-- When ingest last marked a minute. A minute still receiving late samples (an agent's backlog being
-- drained) is rolled up once they stop, not again after every batch.
alter table metric_rollup_pending add column marked_at timestamptz not null default now();

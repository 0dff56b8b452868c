-- The version the deployer last reported running, and when that happened (the deployment event's
-- occurred_at): an event older than it is ignored, so a redelivered or reordered one cannot roll
-- the version back. Null until a deployment sets the version.
alter table services add column version_deployed_at timestamptz;

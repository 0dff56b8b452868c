-- The services' schemas, run by ./platform in each database (devops, devops_test) after init.sql.
-- A role's default search_path ("$user", public) puts its own schema first.
SET client_min_messages = warning;
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['registry', 'monitoring', 'deployer', 'alerting'] LOOP
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', r, r);
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', r, r);
  END LOOP;
END
$$;
-- Nobody creates objects in public (PostgreSQL 15 already defaults to this; older ones do not).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

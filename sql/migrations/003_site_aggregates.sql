-- 003: launches per launch site, kept by the aggregate step (analytics question 4).
--
-- Question 4 grouped launch_facts by the launchpad's text id, and Trino's PostgreSQL connector
-- never pushes an aggregation grouped by a text column down: at 1M launches Trino scanned every
-- launch (2.2 s). This table holds the answer's running sums, one row per launchpad that has past
-- launches, moved by the aggregate refresh exactly as launch_aggregates_by_year is (the
-- difference between a touched launch's old and new facts), so the question reads a handful of
-- rows. Exact sums and counts only: the average is computed when read.
CREATE TABLE launch_aggregates_by_site (
  launchpad_id                text PRIMARY KEY,
  total_launches              bigint  NOT NULL,  -- past launches from this launchpad
  payload_mass_kg_sum         numeric NOT NULL,  -- sum of their total known payload masses
  launches_with_payload_mass  bigint  NOT NULL,  -- how many of them have a known payload mass
  updated_at                  timestamptz NOT NULL DEFAULT now()
);

-- From the facts the aggregates reflect now (not from launches: if the aggregates lag the raw
-- store, the next refresh moves these sums by the difference, as it does the by-year ones).
-- Launches without a launchpad belong to no site.
INSERT INTO launch_aggregates_by_site (launchpad_id, total_launches, payload_mass_kg_sum, launches_with_payload_mass)
SELECT launchpad_id, count(*), coalesce(sum(payload_mass_kg), 0), count(*) FILTER (WHERE payload_mass_count > 0)
FROM launch_facts
WHERE past AND launchpad_id IS NOT NULL
GROUP BY launchpad_id;

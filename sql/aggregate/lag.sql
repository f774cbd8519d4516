-- How far the aggregates are behind the raw store, in seconds: the age of the oldest raw
-- version of launches or payloads that the aggregates do not reflect yet (0 when none).
-- $1, $2: the last reflected launch and payload versions (aggregate_state).
SELECT coalesce(extract(epoch FROM now() - least(
         (SELECT first_seen_at FROM raw_launches WHERE version_id > $1 ORDER BY version_id LIMIT 1),
         (SELECT first_seen_at FROM raw_payloads WHERE version_id > $2 ORDER BY version_id LIMIT 1))), 0)::float8 AS seconds

-- Launches whose facts may have changed since the aggregates were last refreshed:
-- new launch versions, and launches listing a payload with a new version.
-- $1 = last aggregated raw_launches version, $2 = last aggregated raw_payloads version.
INSERT INTO touched (launch_id)
SELECT id FROM raw_launches WHERE version_id > $1
UNION
SELECT lp.launch_id
FROM raw_payloads rp JOIN launch_payloads lp ON lp.payload_id = rp.id
WHERE rp.version_id > $2
ON CONFLICT DO NOTHING;

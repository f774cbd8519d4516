-- Question 4 asked of PostgreSQL directly: past launches per launch site, with the average
-- payload mass per launch (launches without a known payload mass left out of the average).
WITH m AS (
  SELECT lp.launch_id, sum(p.mass_kg) AS total
  FROM (SELECT DISTINCT launch_id, payload_id FROM launch_payloads) lp
  JOIN payloads p ON p.id = lp.payload_id AND p.mass_kg IS NOT NULL
  GROUP BY 1)
SELECT pad.name AS site, count(l.id)::int AS launches, avg(m.total)::float8 AS avg_payload_mass_per_launch_kg
FROM launchpads pad
LEFT JOIN launches l ON l.launchpad_id = pad.id AND NOT l.upcoming
LEFT JOIN m ON m.launch_id = l.id
GROUP BY pad.id, pad.name
ORDER BY 2 DESC, pad.name COLLATE "C"

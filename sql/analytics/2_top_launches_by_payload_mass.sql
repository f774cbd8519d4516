-- Top 5 launches by total payload mass (Trino, catalog postgresql, schema public).
-- launches: past launches (upcoming = false).
-- total_payload_mass_kg: sum of mass_kg over ALL distinct payloads the launch lists
--   (launch_payloads), counting only payloads with a known mass; launches with no known
--   payload mass are left out.
-- order: total mass descending; ties broken by date_utc ascending, then flight_number.
WITH launch_mass AS (
  SELECT lp.launch_id, sum(p.mass_kg) AS total_payload_mass_kg, count(p.mass_kg) AS payloads_with_mass
  FROM (SELECT DISTINCT launch_id, payload_id FROM launch_payloads) lp
  JOIN payloads p ON p.id = lp.payload_id
  WHERE p.mass_kg IS NOT NULL
  GROUP BY lp.launch_id
)
SELECT
  l.flight_number,
  l.name,
  l.date_utc,
  m.total_payload_mass_kg,
  m.payloads_with_mass
FROM launches l
JOIN launch_mass m ON m.launch_id = l.id
WHERE NOT l.upcoming
ORDER BY m.total_payload_mass_kg DESC, l.date_utc ASC, l.flight_number ASC
LIMIT 5

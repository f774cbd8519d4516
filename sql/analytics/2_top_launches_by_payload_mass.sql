-- Top 5 launches by total payload mass (Trino, catalog postgresql, schema public).
-- launches: past launches (past = NOT upcoming).
-- total_payload_mass_kg: sum of mass_kg over ALL distinct payloads the launch lists, counting
--   only payloads with a known mass (launch_facts.payload_mass_kg, kept by the aggregate step
--   from launch_payloads and payloads); launches with no known payload mass are left out.
-- order: total mass descending; ties broken by date_utc ascending, then flight_number.
-- The join and the top 5 run in PostgreSQL (join and TopN pushdown), which reads the first
-- entries of launch_facts' index on (mass DESC, date, flight number): the order below.
SELECT
  l.flight_number,
  l.name,
  l.date_utc,
  CAST(f.payload_mass_kg AS decimal(18, 3)) AS total_payload_mass_kg,
  f.payload_mass_count AS payloads_with_mass
FROM launch_facts f
JOIN launches l ON l.id = f.launch_id
WHERE f.past AND f.payload_mass_kg IS NOT NULL
ORDER BY f.payload_mass_kg DESC, f.date_utc ASC, f.flight_number ASC
LIMIT 5

-- Question 2 asked of PostgreSQL directly: the 5 past launches with the most payload mass.
SELECT l.flight_number, l.name, sum(p.mass_kg)::float8 AS total_payload_mass_kg
FROM launches l
JOIN (SELECT DISTINCT launch_id, payload_id FROM launch_payloads) lp ON lp.launch_id = l.id
JOIN payloads p ON p.id = lp.payload_id AND p.mass_kg IS NOT NULL
WHERE NOT l.upcoming
GROUP BY l.id
ORDER BY 3 DESC, l.date_utc, l.flight_number
LIMIT 5

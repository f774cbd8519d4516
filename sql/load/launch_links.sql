-- Writes the link rows of the launch versions a merge appended ($1 < version_id <= $2, one per
-- launch, as in launches.sql); launch_unlinks.sql removed the launches' earlier link rows.
INSERT INTO launch_payloads (launch_id, position, payload_id)
SELECT r.id, p.ordinality::integer, p.value
FROM raw_launches r
CROSS JOIN LATERAL jsonb_array_elements_text(r.document->'payloads') WITH ORDINALITY AS p(value, ordinality)
WHERE r.version_id > $1 AND r.version_id <= $2;

INSERT INTO launch_cores (launch_id, position, core_id, flight, gridfins, legs, reused,
                          landing_attempt, landing_success, landing_type, landpad_id)
SELECT r.id, c.ordinality::integer,
       c.value->>'core', (c.value->>'flight')::integer, (c.value->>'gridfins')::boolean,
       (c.value->>'legs')::boolean, (c.value->>'reused')::boolean,
       (c.value->>'landing_attempt')::boolean, (c.value->>'landing_success')::boolean,
       c.value->>'landing_type', c.value->>'landpad'
FROM raw_launches r
CROSS JOIN LATERAL jsonb_array_elements(r.document->'cores') WITH ORDINALITY AS c(value, ordinality)
WHERE r.version_id > $1 AND r.version_id <= $2;

-- Writes the link rows of the launches listed in $1 (text[]: the ids a merge appended new
-- versions of), from their current raw versions; launch_unlinks.sql removed their old ones.
INSERT INTO launch_payloads (launch_id, position, payload_id)
SELECT r.id, p.ordinality::integer, p.value
FROM launches l
JOIN raw_launches r ON r.version_id = l.version_id
CROSS JOIN LATERAL jsonb_array_elements_text(r.document->'payloads') WITH ORDINALITY AS p(value, ordinality)
WHERE l.id = ANY($1::text[]);

INSERT INTO launch_cores (launch_id, position, core_id, flight, gridfins, legs, reused,
                          landing_attempt, landing_success, landing_type, landpad_id)
SELECT r.id, c.ordinality::integer,
       c.value->>'core', (c.value->>'flight')::integer, (c.value->>'gridfins')::boolean,
       (c.value->>'legs')::boolean, (c.value->>'reused')::boolean,
       (c.value->>'landing_attempt')::boolean, (c.value->>'landing_success')::boolean,
       c.value->>'landing_type', c.value->>'landpad'
FROM launches l
JOIN raw_launches r ON r.version_id = l.version_id
CROSS JOIN LATERAL jsonb_array_elements(r.document->'cores') WITH ORDINALITY AS c(value, ordinality)
WHERE l.id = ANY($1::text[]);

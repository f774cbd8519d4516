-- Rebuilds the link rows of the launches listed in the temporary table `changed` (id).
DELETE FROM launch_payloads lp USING changed ch WHERE lp.launch_id = ch.id;

INSERT INTO launch_payloads (launch_id, position, payload_id)
SELECT r.id, p.ordinality::integer, p.value
FROM changed ch
JOIN launches l ON l.id = ch.id
JOIN raw_launches r ON r.version_id = l.version_id
CROSS JOIN LATERAL jsonb_array_elements_text(r.document->'payloads') WITH ORDINALITY AS p(value, ordinality);

DELETE FROM launch_cores lc USING changed ch WHERE lc.launch_id = ch.id;

INSERT INTO launch_cores (launch_id, position, core_id, flight, gridfins, legs, reused,
                          landing_attempt, landing_success, landing_type, landpad_id)
SELECT r.id, c.ordinality::integer,
       c.value->>'core', (c.value->>'flight')::integer, (c.value->>'gridfins')::boolean,
       (c.value->>'legs')::boolean, (c.value->>'reused')::boolean,
       (c.value->>'landing_attempt')::boolean, (c.value->>'landing_success')::boolean,
       c.value->>'landing_type', c.value->>'landpad'
FROM changed ch
JOIN launches l ON l.id = ch.id
JOIN raw_launches r ON r.version_id = l.version_id
CROSS JOIN LATERAL jsonb_array_elements(r.document->'cores') WITH ORDINALITY AS c(value, ordinality);

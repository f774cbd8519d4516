WITH last AS (
  -- A response may list one id twice: the later occurrence wins. Only the narrow columns
  -- are grouped, so the documents themselves are never sorted.
  SELECT id, max(ordinal) AS ordinal FROM stage GROUP BY id
), latest AS (
  SELECT s.id, s.content_hash, s.document FROM stage s JOIN last USING (id, ordinal)
), appended AS (
  INSERT INTO raw_payloads (id, content_hash, document, run_id)
  SELECT s.id, s.content_hash, s.document, $1
  FROM latest s LEFT JOIN payloads c ON c.id = s.id
  WHERE c.content_hash IS DISTINCT FROM s.content_hash
  RETURNING version_id, id, content_hash, document AS d
), upserted AS (
  INSERT INTO payloads AS c (
  id, name, type, reused, launch_id, customers, nationalities, manufacturers, norad_ids,
  mass_kg, mass_lbs, orbit, reference_system, regime, version_id, content_hash, updated_at)
SELECT
  id,
  d->>'name',
  d->>'type',
  (d->>'reused')::boolean,
  d->>'launch',
  json_text_array(d->'customers'),
  json_text_array(d->'nationalities'),
  json_text_array(d->'manufacturers'),
  json_int_array(d->'norad_ids'),
  (d->>'mass_kg')::numeric,
  (d->>'mass_lbs')::numeric,
  d->>'orbit',
  d->>'reference_system',
  d->>'regime',
  version_id, content_hash, now()
FROM appended
ON CONFLICT (id) DO UPDATE SET
  name = EXCLUDED.name,
  type = EXCLUDED.type,
  reused = EXCLUDED.reused,
  launch_id = EXCLUDED.launch_id,
  customers = EXCLUDED.customers,
  nationalities = EXCLUDED.nationalities,
  manufacturers = EXCLUDED.manufacturers,
  norad_ids = EXCLUDED.norad_ids,
  mass_kg = EXCLUDED.mass_kg,
  mass_lbs = EXCLUDED.mass_lbs,
  orbit = EXCLUDED.orbit,
  reference_system = EXCLUDED.reference_system,
  regime = EXCLUDED.regime,
  version_id = EXCLUDED.version_id,
  content_hash = EXCLUDED.content_hash,
  updated_at = EXCLUDED.updated_at
RETURNING id
)
INSERT INTO changed (id) SELECT id FROM upserted;

-- The current-state rows of the raw versions this merge appended ($1 < version_id <= $2; one per id).
WITH appended AS (
  SELECT version_id, id, content_hash, document AS d FROM raw_payloads WHERE version_id > $1 AND version_id <= $2
)
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
  updated_at = EXCLUDED.updated_at;

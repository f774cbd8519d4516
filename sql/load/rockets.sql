-- The current-state rows of the raw versions this merge appended ($1 < version_id <= $2; one per id).
WITH appended AS (
  SELECT version_id, id, content_hash, document AS d FROM raw_rockets WHERE version_id > $1 AND version_id <= $2
)
INSERT INTO rockets AS c (
  id, name, type, active, stages, boosters, cost_per_launch, success_rate_pct, first_flight,
  country, company, height_m, diameter_m, mass_kg, description, version_id, content_hash, updated_at)
SELECT
  id,
  d->>'name',
  d->>'type',
  (d->>'active')::boolean,
  (d->>'stages')::integer,
  (d->>'boosters')::integer,
  (d->>'cost_per_launch')::bigint,
  (d->>'success_rate_pct')::numeric,
  (d->>'first_flight')::date,
  d->>'country',
  d->>'company',
  (d->'height'->>'meters')::numeric,
  (d->'diameter'->>'meters')::numeric,
  (d->'mass'->>'kg')::numeric,
  d->>'description',
  version_id, content_hash, now()
FROM appended
ON CONFLICT (id) DO UPDATE SET
  name = EXCLUDED.name,
  type = EXCLUDED.type,
  active = EXCLUDED.active,
  stages = EXCLUDED.stages,
  boosters = EXCLUDED.boosters,
  cost_per_launch = EXCLUDED.cost_per_launch,
  success_rate_pct = EXCLUDED.success_rate_pct,
  first_flight = EXCLUDED.first_flight,
  country = EXCLUDED.country,
  company = EXCLUDED.company,
  height_m = EXCLUDED.height_m,
  diameter_m = EXCLUDED.diameter_m,
  mass_kg = EXCLUDED.mass_kg,
  description = EXCLUDED.description,
  version_id = EXCLUDED.version_id,
  content_hash = EXCLUDED.content_hash,
  updated_at = EXCLUDED.updated_at;

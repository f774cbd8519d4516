-- The current-state rows of the raw versions this merge appended ($1 < version_id <= $2; one per id).
WITH appended AS (
  SELECT version_id, id, content_hash, document AS d FROM raw_launches WHERE version_id > $1 AND version_id <= $2
)
INSERT INTO launches AS c (
  id, flight_number, name, date_utc, date_precision, static_fire_date_utc, tbd, net,
  launch_window_s, rocket_id, launchpad_id, success, upcoming, details,
  fairings_reused, fairings_recovered, launch_library_id, earliest_upcoming_date_utc,
  version_id, content_hash, updated_at)
SELECT
  id,
  (d->>'flight_number')::integer,
  d->>'name',
  (d->>'date_utc')::timestamptz,
  d->>'date_precision',
  (d->>'static_fire_date_utc')::timestamptz,
  (d->>'tbd')::boolean,
  (d->>'net')::boolean,
  (d->>'window')::integer,
  d->>'rocket',
  d->>'launchpad',
  (d->>'success')::boolean,
  (d->>'upcoming')::boolean,
  d->>'details',
  (d->'fairings'->>'reused')::boolean,
  (d->'fairings'->>'recovered')::boolean,
  d->>'launch_library_id',
  CASE WHEN (d->>'upcoming')::boolean THEN (d->>'date_utc')::timestamptz END,
  version_id, content_hash, now()
FROM appended
ON CONFLICT (id) DO UPDATE SET
  flight_number = EXCLUDED.flight_number,
  name = EXCLUDED.name,
  date_utc = EXCLUDED.date_utc,
  date_precision = EXCLUDED.date_precision,
  static_fire_date_utc = EXCLUDED.static_fire_date_utc,
  tbd = EXCLUDED.tbd,
  net = EXCLUDED.net,
  launch_window_s = EXCLUDED.launch_window_s,
  rocket_id = EXCLUDED.rocket_id,
  launchpad_id = EXCLUDED.launchpad_id,
  success = EXCLUDED.success,
  upcoming = EXCLUDED.upcoming,
  details = EXCLUDED.details,
  fairings_reused = EXCLUDED.fairings_reused,
  fairings_recovered = EXCLUDED.fairings_recovered,
  launch_library_id = EXCLUDED.launch_library_id,
  -- LEAST ignores nulls: the baseline only ever moves to an earlier upcoming date.
  earliest_upcoming_date_utc = LEAST(c.earliest_upcoming_date_utc, EXCLUDED.earliest_upcoming_date_utc),
  version_id = EXCLUDED.version_id,
  content_hash = EXCLUDED.content_hash,
  updated_at = EXCLUDED.updated_at;

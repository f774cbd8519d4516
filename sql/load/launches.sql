-- Replaces the current rows of launches that had an earlier version with their new version.
-- load.ts stages those rows in launches_stage, a temporary table shaped like launches, typed
-- by functions/core/store/rows.ts; launches seen for the first time skip this statement and
-- are COPYed straight into launches.
INSERT INTO launches AS c SELECT * FROM launches_stage
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

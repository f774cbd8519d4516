-- 002: indexes for the two hot read paths that grew with history.

-- ingest asks which launches it holds as upcoming (a handful) on every tick: without this
-- it scanned every launch.
CREATE INDEX launches_upcoming ON launches (id) WHERE upcoming;

-- The heaviest launches (analytics question 2) straight from the per-launch measures. Not a
-- partial index: Trino sends its filters as bind parameters, which cannot match a predicate.
CREATE INDEX launch_facts_payload_mass ON launch_facts (payload_mass_kg DESC NULLS LAST);

-- Per-launch measures by site (analytics question 4) without joining every launch.
ALTER TABLE launch_facts ADD COLUMN launchpad_id text;
UPDATE launch_facts f SET launchpad_id = l.launchpad_id FROM launches l WHERE l.id = f.launch_id;

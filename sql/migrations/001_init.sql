-- 001: raw versions, current state, runs, quarantine and aggregates.
-- Released migrations are never edited: later changes go in new numbered files.

-- Raw store: one row per distinct version of a document, append-only.
CREATE TABLE raw_launches (
  version_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id            text        NOT NULL,
  content_hash  text        NOT NULL,
  document      jsonb       NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  run_id        bigint      NOT NULL
);
CREATE TABLE raw_payloads   (LIKE raw_launches INCLUDING ALL);
CREATE TABLE raw_launchpads (LIKE raw_launches INCLUDING ALL);
CREATE TABLE raw_landpads   (LIKE raw_launches INCLUDING ALL);
CREATE TABLE raw_rockets    (LIKE raw_launches INCLUDING ALL);
CREATE INDEX raw_launches_id   ON raw_launches (id);
CREATE INDEX raw_payloads_id   ON raw_payloads (id);
CREATE INDEX raw_launchpads_id ON raw_launchpads (id);
CREATE INDEX raw_landpads_id   ON raw_landpads (id);
CREATE INDEX raw_rockets_id    ON raw_rockets (id);

-- Append-only is enforced here, not by convention: history is the audit trail
-- and the source of the schedule-slip measure.
CREATE FUNCTION forbid_raw_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'raw tables are append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['raw_launches','raw_payloads','raw_launchpads','raw_landpads','raw_rockets'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION forbid_raw_change()', t || '_append_only', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION forbid_raw_change()', t || '_no_truncate', t);
  END LOOP;
END $$;

-- Current state: the latest version of each document, typed.
CREATE TABLE rockets (
  id               text PRIMARY KEY,
  name             text NOT NULL,
  type             text,
  active           boolean,
  stages           integer,
  boosters         integer,
  cost_per_launch  bigint,
  success_rate_pct numeric(6,2),
  first_flight     date,
  country          text,
  company          text,
  height_m         numeric(10,2),
  diameter_m       numeric(10,2),
  mass_kg          numeric(14,3),
  description      text,
  version_id       bigint NOT NULL,
  content_hash     text NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE launchpads (
  id               text PRIMARY KEY,
  name             text NOT NULL,
  full_name        text,
  status           text,
  locality         text,
  region           text,
  timezone         text,
  latitude         double precision,
  longitude        double precision,
  launch_attempts  integer,
  launch_successes integer,
  rocket_ids       text[],
  details          text,
  version_id       bigint NOT NULL,
  content_hash     text NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE landpads (
  id                text PRIMARY KEY,
  name              text NOT NULL,
  full_name         text,
  status            text,
  type              text,
  locality          text,
  region            text,
  latitude          double precision,
  longitude         double precision,
  landing_attempts  integer,
  landing_successes integer,
  details           text,
  version_id        bigint NOT NULL,
  content_hash      text NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE payloads (
  id               text PRIMARY KEY,
  name             text NOT NULL,
  type             text,
  reused           boolean,
  launch_id        text,
  customers        text[],
  nationalities    text[],
  manufacturers    text[],
  norad_ids        integer[],
  mass_kg          numeric(14,3),
  mass_lbs         numeric(14,3),
  orbit            text,
  reference_system text,
  regime           text,
  version_id       bigint NOT NULL,
  content_hash     text NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE launches (
  id                        text PRIMARY KEY,
  flight_number             integer NOT NULL,
  name                      text NOT NULL,
  date_utc                  timestamptz NOT NULL,
  date_precision            text,
  static_fire_date_utc      timestamptz,
  tbd                       boolean,
  net                       boolean,
  launch_window_s           integer,
  rocket_id                 text,
  launchpad_id              text,
  success                   boolean,
  upcoming                  boolean NOT NULL,
  details                   text,
  fairings_reused           boolean,
  fairings_recovered        boolean,
  launch_library_id         text,
  -- Earliest date_utc of any version seen while upcoming: the baseline of the schedule slip.
  earliest_upcoming_date_utc timestamptz,
  version_id                bigint NOT NULL,
  content_hash              text NOT NULL,
  updated_at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX launches_date_utc ON launches (date_utc);
CREATE INDEX launches_launchpad ON launches (launchpad_id);

CREATE TABLE launch_payloads (
  launch_id  text    NOT NULL,
  position   integer NOT NULL,
  payload_id text    NOT NULL,
  PRIMARY KEY (launch_id, position)
);
CREATE INDEX launch_payloads_payload ON launch_payloads (payload_id);

CREATE TABLE launch_cores (
  launch_id       text    NOT NULL,
  position        integer NOT NULL,
  core_id         text,
  flight          integer,
  gridfins        boolean,
  legs            boolean,
  reused          boolean,
  landing_attempt boolean,
  landing_success boolean,
  landing_type    text,
  landpad_id      text,
  PRIMARY KEY (launch_id, position)
);

-- Runs: one row per backfill, ingest or aggregate invocation.
CREATE TABLE pipeline_runs (
  run_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  step        text NOT NULL CHECK (step IN ('backfill', 'ingest', 'aggregate')),
  trigger     text,
  status      text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  counts      jsonb NOT NULL DEFAULT '{}',
  changed_launch_ids text[] NOT NULL DEFAULT '{}',
  error       text
);

-- Quarantine: documents that failed validation, kept with the reason and the raw body.
-- One row per distinct body; seeing it again only bumps the counters.
CREATE TABLE quarantine (
  quarantine_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entity        text NOT NULL,
  document_id   text,
  body_hash     text NOT NULL,
  reason        text NOT NULL,
  body          text NOT NULL,
  first_run_id  bigint NOT NULL,
  last_run_id   bigint NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  times_seen    integer NOT NULL DEFAULT 1,
  UNIQUE (entity, body_hash)
);

-- Source state: ETags of conditional GETs.
CREATE TABLE source_state (
  url        text PRIMARY KEY,
  etag       text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Aggregation. launch_facts holds each launch's contribution; the by-year table is kept as
-- running sums adjusted by the difference of changed facts, so a refresh costs what changed.
CREATE TABLE launch_facts (
  launch_id               text PRIMARY KEY,
  year                    integer NOT NULL,
  past                    boolean NOT NULL,
  success                 boolean,
  payload_mass_kg         numeric,   -- sum of its payloads' known masses (null: none known)
  payload_mass_count      integer NOT NULL,  -- how many of its payloads have a known mass
  -- Exact seconds (numeric), so running sums never drift from a recomputation.
  delay_seconds            numeric,
  static_fire_lead_seconds numeric
);
CREATE INDEX launch_facts_year_delay ON launch_facts (year, delay_seconds) WHERE past AND delay_seconds IS NOT NULL;

CREATE TABLE launch_aggregates_by_year (
  year                        integer PRIMARY KEY,
  total_launches              bigint NOT NULL,
  successful_launches         bigint NOT NULL,
  failed_launches             bigint NOT NULL,
  success_rate                double precision,
  avg_payload_mass_kg         double precision,
  avg_launch_payload_mass_kg  double precision,
  avg_delay_hours             double precision,
  max_delay_hours             double precision,
  delay_sample_size           bigint NOT NULL,
  avg_static_fire_lead_hours  double precision,
  -- running sums behind the averages
  payload_mass_kg_sum         numeric NOT NULL,
  payload_count               bigint NOT NULL,
  launches_with_payload_mass  bigint NOT NULL,
  delay_seconds_sum           numeric NOT NULL,
  static_fire_lead_seconds_sum numeric NOT NULL,
  static_fire_sample_size     bigint NOT NULL,
  updated_at                  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE launch_aggregates (
  singleton                   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  total_launches              bigint NOT NULL,
  successful_launches         bigint NOT NULL,
  failed_launches             bigint NOT NULL,
  success_rate                double precision,
  avg_payload_mass_kg         double precision,
  avg_launch_payload_mass_kg  double precision,
  avg_delay_hours             double precision,
  max_delay_hours             double precision,
  delay_sample_size           bigint NOT NULL,
  avg_static_fire_lead_hours  double precision,
  updated_at                  timestamptz NOT NULL DEFAULT now()
);

-- Which raw versions the aggregates already reflect, per entity.
CREATE TABLE aggregate_state (
  entity          text PRIMARY KEY,
  last_version_id bigint NOT NULL
);

-- Shared by the incremental refresh and the recomputation from scratch, so both round alike.
CREATE FUNCTION ratio(part numeric, whole numeric) RETURNS double precision
  LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN whole > 0 THEN (part / whole)::double precision END $$;
CREATE FUNCTION mean_hours(seconds numeric, n numeric) RETURNS double precision
  LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN n > 0 THEN (seconds / n / 3600)::double precision END $$;

-- jsonb array -> SQL array; null when the value is absent or not an array.
CREATE FUNCTION json_text_array(value jsonb) RETURNS text[]
  LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN jsonb_typeof(value) = 'array'
              THEN ARRAY(SELECT jsonb_array_elements_text(value)) END $$;
CREATE FUNCTION json_int_array(value jsonb) RETURNS integer[]
  LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN jsonb_typeof(value) = 'array'
              THEN ARRAY(SELECT jsonb_array_elements_text(value)::integer) END $$;

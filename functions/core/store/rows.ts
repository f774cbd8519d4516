import type { Landpad, Launch, Launchpad, Payload, Rocket } from '../source/schemas';
import type { ResourceName } from '../source/resources';
import type { Value } from './copy';

/**
 * The typed rows each validated document becomes: the normalising step between a document
 * and the tables, written once, here. stage.ts COPYs these rows; a database only parses them.
 */

export interface Table {
  name: string;
  /** Columns in the order `row` fills them, after `id` (or `launch_id` for link tables). */
  columns: readonly string[];
}

export interface RowsOf<D> {
  /** The current-state table: one row per document, followed by version_id and content_hash. */
  current: Table & {
    row: (document: D) => Value[];
    /** Columns whose new value, when a version replaces another, is not simply the new version's (`c` the row, EXCLUDED the new). */
    keep?: Readonly<Record<string, string>>;
  };
  /** Tables holding the document's lists, one row per element. */
  links?: readonly (Table & { rows: (document: D) => Value[][] })[];
}

const launches: RowsOf<Launch> = {
  current: {
    name: 'launches',
    columns: [
      'flight_number',
      'name',
      'date_utc',
      'date_precision',
      'static_fire_date_utc',
      'tbd',
      'net',
      'launch_window_s',
      'rocket_id',
      'launchpad_id',
      'success',
      'upcoming',
      'details',
      'fairings_reused',
      'fairings_recovered',
      'launch_library_id',
      'earliest_upcoming_date_utc',
    ],
    row: (d) => [
      d.flight_number,
      d.name,
      d.date_utc,
      d.date_precision,
      d.static_fire_date_utc,
      d.tbd,
      d.net,
      d.window,
      d.rocket,
      d.launchpad,
      d.success,
      d.upcoming,
      d.details,
      d.fairings?.reused,
      d.fairings?.recovered,
      d.launch_library_id,
      // The baseline of the schedule slip starts at the date announced while upcoming ...
      d.upcoming ? d.date_utc : null,
    ],
    // ... and is the earliest across versions. LEAST ignores nulls: it only ever moves earlier.
    keep: { earliest_upcoming_date_utc: 'LEAST(c.earliest_upcoming_date_utc, EXCLUDED.earliest_upcoming_date_utc)' },
  },
  links: [
    {
      name: 'launch_payloads',
      columns: ['position', 'payload_id'],
      rows: (d) => d.payloads.map((payload, i) => [i + 1, payload]),
    },
    {
      name: 'launch_cores',
      columns: [
        'position',
        'core_id',
        'flight',
        'gridfins',
        'legs',
        'reused',
        'landing_attempt',
        'landing_success',
        'landing_type',
        'landpad_id',
      ],
      rows: (d) =>
        d.cores.map((c, i) => [
          i + 1,
          c.core,
          c.flight,
          c.gridfins,
          c.legs,
          c.reused,
          c.landing_attempt,
          c.landing_success,
          c.landing_type,
          c.landpad,
        ]),
    },
  ],
};

const payloads: RowsOf<Payload> = {
  current: {
    name: 'payloads',
    columns: [
      'name',
      'type',
      'reused',
      'launch_id',
      'customers',
      'nationalities',
      'manufacturers',
      'norad_ids',
      'mass_kg',
      'mass_lbs',
      'orbit',
      'reference_system',
      'regime',
    ],
    row: (d) => [
      d.name,
      d.type,
      d.reused,
      d.launch,
      d.customers,
      d.nationalities,
      d.manufacturers,
      d.norad_ids,
      d.mass_kg,
      d.mass_lbs,
      d.orbit,
      d.reference_system,
      d.regime,
    ],
  },
};

const launchpads: RowsOf<Launchpad> = {
  current: {
    name: 'launchpads',
    columns: [
      'name',
      'full_name',
      'status',
      'locality',
      'region',
      'timezone',
      'latitude',
      'longitude',
      'launch_attempts',
      'launch_successes',
      'rocket_ids',
      'details',
    ],
    row: (d) => [
      d.name,
      d.full_name,
      d.status,
      d.locality,
      d.region,
      d.timezone,
      d.latitude,
      d.longitude,
      d.launch_attempts,
      d.launch_successes,
      d.rockets,
      d.details,
    ],
  },
};

const landpads: RowsOf<Landpad> = {
  current: {
    name: 'landpads',
    columns: [
      'name',
      'full_name',
      'status',
      'type',
      'locality',
      'region',
      'latitude',
      'longitude',
      'landing_attempts',
      'landing_successes',
      'details',
    ],
    row: (d) => [
      d.name,
      d.full_name,
      d.status,
      d.type,
      d.locality,
      d.region,
      d.latitude,
      d.longitude,
      d.landing_attempts,
      d.landing_successes,
      d.details,
    ],
  },
};

const rockets: RowsOf<Rocket> = {
  current: {
    name: 'rockets',
    columns: [
      'name',
      'type',
      'active',
      'stages',
      'boosters',
      'cost_per_launch',
      'success_rate_pct',
      'first_flight',
      'country',
      'company',
      'height_m',
      'diameter_m',
      'mass_kg',
      'description',
    ],
    row: (d) => [
      d.name,
      d.type,
      d.active,
      d.stages,
      d.boosters,
      d.cost_per_launch,
      d.success_rate_pct,
      d.first_flight,
      d.country,
      d.company,
      d.height?.meters,
      d.diameter?.meters,
      d.mass?.kg,
      d.description,
    ],
  },
};

// Each resource's documents are validated by its schema before they get here.
export const rowsOf: Record<ResourceName, RowsOf<never>> = { launches, payloads, launchpads, landpads, rockets };

import * as z from 'zod/mini';
import { int32, isoDate, name, nullable, objectId, text } from './fields';
import { linkTable, type Resource, table } from './resource';

export const launchSchema = z.object({
  id: objectId,
  flight_number: int32,
  name,
  date_utc: isoDate,
  date_precision: nullable(text),
  static_fire_date_utc: nullable(isoDate),
  tbd: nullable(z.boolean()),
  net: nullable(z.boolean()),
  window: nullable(int32),
  rocket: nullable(objectId),
  launchpad: nullable(objectId),
  success: nullable(z.boolean()),
  upcoming: z.boolean(),
  details: nullable(text),
  fairings: nullable(z.object({ reused: nullable(z.boolean()), recovered: nullable(z.boolean()) })),
  launch_library_id: nullable(text),
  payloads: z.array(objectId),
  cores: z.array(
    z.object({
      core: nullable(objectId),
      flight: nullable(int32),
      gridfins: nullable(z.boolean()),
      legs: nullable(z.boolean()),
      reused: nullable(z.boolean()),
      landing_attempt: nullable(z.boolean()),
      landing_success: nullable(z.boolean()),
      landing_type: nullable(text),
      landpad: nullable(objectId),
    }),
  ),
});

export type Launch = z.infer<typeof launchSchema>;
type Core = Launch['cores'][number];

export const launches: Resource<Launch> = {
  name: 'launches',
  queryPath: '/v5/launches/query',
  sort: { flight_number: 'asc' },
  schema: launchSchema,
  current: table<Launch>('launches', {
    flight_number: (d) => d.flight_number,
    name: (d) => d.name,
    date_utc: (d) => d.date_utc,
    date_precision: (d) => d.date_precision,
    static_fire_date_utc: (d) => d.static_fire_date_utc,
    tbd: (d) => d.tbd,
    net: (d) => d.net,
    launch_window_s: (d) => d.window,
    rocket_id: (d) => d.rocket,
    launchpad_id: (d) => d.launchpad,
    success: (d) => d.success,
    upcoming: (d) => d.upcoming,
    details: (d) => d.details,
    fairings_reused: (d) => d.fairings?.reused,
    fairings_recovered: (d) => d.fairings?.recovered,
    launch_library_id: (d) => d.launch_library_id,
    // The baseline of the schedule slip: the earliest date_utc of any version seen while the
    // launch was upcoming. LEAST ignores nulls, so it only ever moves earlier, whatever the order
    // the versions arrive in.
    earliest_upcoming_date_utc: {
      value: (d) => (d.upcoming ? d.date_utc : null),
      onReplace: 'LEAST(c.earliest_upcoming_date_utc, EXCLUDED.earliest_upcoming_date_utc)',
    },
  }),
  links: [
    linkTable<Launch, string>('launch_payloads', (d) => d.payloads, {
      position: (_, position) => position,
      payload_id: (payload) => payload,
    }),
    linkTable<Launch, Core>('launch_cores', (d) => d.cores, {
      position: (_, position) => position,
      core_id: (c) => c.core,
      flight: (c) => c.flight,
      gridfins: (c) => c.gridfins,
      legs: (c) => c.legs,
      reused: (c) => c.reused,
      landing_attempt: (c) => c.landing_attempt,
      landing_success: (c) => c.landing_success,
      landing_type: (c) => c.landing_type,
      landpad_id: (c) => c.landpad,
    }),
  ],
};

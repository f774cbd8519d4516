// zod/mini: the same validator as zod with a tree-shakable API, a fraction of the bundle size.
import * as z from 'zod/mini';

/**
 * The documented shape of each resource. Only fields the store types are checked strictly
 * (a value that would fail a cast in SQL must fail here, so one bad document can never
 * abort a load); every other field is kept verbatim in the raw version. The parsed result
 * holds just these fields, which store/rows.ts types: z.object drops the rest, and
 * validates in about half the time of z.looseObject, which copies every other field too.
 */
const objectId = z.string().check(z.regex(/^[0-9a-f]{24}$/, 'must be 24 lowercase hex characters'));
const isoDate = z
  .string()
  .check(z.refine((v) => /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 date-time'));
const plainDate = z
  .string()
  .check(z.refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)), 'must be a YYYY-MM-DD date'));
const int32 = z.int().check(z.gte(-2147483648, 'must fit a 32-bit integer'), z.lte(2147483647, 'must fit a 32-bit integer'));
const finite = (min: number, max: number) => z.number().check(z.gte(min, `must be at least ${min}`), z.lte(max, `must be at most ${max}`));
const mass = finite(0, 1e10);
const coordinate = finite(-360, 360);
const text = z.string();
const nullable = <T extends z.ZodMiniType>(t: T) => z.optional(z.nullable(t));

export const launchSchema = z.object({
  id: objectId,
  flight_number: int32,
  name: text.check(z.minLength(1, 'must not be empty')),
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

export const payloadSchema = z.object({
  id: objectId,
  name: text.check(z.minLength(1, 'must not be empty')),
  type: nullable(text),
  reused: nullable(z.boolean()),
  launch: nullable(objectId),
  customers: nullable(z.array(text)),
  nationalities: nullable(z.array(text)),
  manufacturers: nullable(z.array(text)),
  norad_ids: nullable(z.array(int32)),
  mass_kg: nullable(mass),
  mass_lbs: nullable(mass),
  orbit: nullable(text),
  reference_system: nullable(text),
  regime: nullable(text),
});

export const launchpadSchema = z.object({
  id: objectId,
  name: text.check(z.minLength(1, 'must not be empty')),
  full_name: nullable(text),
  status: nullable(text),
  locality: nullable(text),
  region: nullable(text),
  timezone: nullable(text),
  latitude: nullable(coordinate),
  longitude: nullable(coordinate),
  launch_attempts: nullable(int32),
  launch_successes: nullable(int32),
  rockets: nullable(z.array(text)),
  details: nullable(text),
});

export const landpadSchema = z.object({
  id: objectId,
  name: text.check(z.minLength(1, 'must not be empty')),
  full_name: nullable(text),
  status: nullable(text),
  type: nullable(text),
  locality: nullable(text),
  region: nullable(text),
  latitude: nullable(coordinate),
  longitude: nullable(coordinate),
  landing_attempts: nullable(int32),
  landing_successes: nullable(int32),
  details: nullable(text),
});

const meters = nullable(z.object({ meters: nullable(finite(0, 1e6)) }));

export const rocketSchema = z.object({
  id: objectId,
  name: text.check(z.minLength(1, 'must not be empty')),
  type: nullable(text),
  active: nullable(z.boolean()),
  stages: nullable(int32),
  boosters: nullable(int32),
  cost_per_launch: nullable(z.int().check(z.gte(0, 'must not be negative'))),
  success_rate_pct: nullable(finite(0, 100)),
  first_flight: nullable(plainDate),
  country: nullable(text),
  company: nullable(text),
  height: meters,
  diameter: meters,
  mass: nullable(z.object({ kg: nullable(mass) })),
  description: nullable(text),
});

export type Schema = z.ZodMiniType;
export type Launch = z.infer<typeof launchSchema>;
export type Payload = z.infer<typeof payloadSchema>;
export type Launchpad = z.infer<typeof launchpadSchema>;
export type Landpad = z.infer<typeof landpadSchema>;
export type Rocket = z.infer<typeof rocketSchema>;

/** Why a document failed, in one line a person can act on. */
export function describeIssues(error: { issues: readonly { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(document)'}: ${i.message}`)
    .join('; ');
}

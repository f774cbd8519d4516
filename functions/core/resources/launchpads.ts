import * as z from 'zod/mini';
import { coordinate, int32, name, nullable, objectId, text } from './fields';
import { type Resource, schemaColumns, table } from './resource';

export const launchpadSchema = z.object({
  id: objectId,
  name,
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

export type Launchpad = z.infer<typeof launchpadSchema>;

export const launchpads: Resource<Launchpad> = {
  name: 'launchpads',
  queryPath: '/v4/launchpads/query',
  // A pad lists every launch flown from it, so its document grows with the history: one per
  // page keeps the backfill's memory to one document rather than all pads at once.
  pageSize: 1,
  schema: launchpadSchema,
  current: table<Launchpad>('launchpads', schemaColumns(launchpadSchema, { rockets: { rocket_ids: (d) => d.rockets } })),
};

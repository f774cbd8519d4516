import * as z from 'zod/mini';
import { coordinate, int32, name, nullable, objectId, text } from './fields';
import { type Resource, schemaColumns, table } from './resource';

export const landpadSchema = z.object({
  id: objectId,
  name,
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

export type Landpad = z.infer<typeof landpadSchema>;

export const landpads: Resource<Landpad> = {
  name: 'landpads',
  queryPath: '/v4/landpads/query',
  // A pad lists every launch that landed on it: one per page, as for launchpads.
  pageSize: 1,
  schema: landpadSchema,
  current: table<Landpad>('landpads', schemaColumns(landpadSchema, {})),
};

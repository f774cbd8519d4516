import * as z from 'zod/mini';
import { finite, int32, mass, name, nullable, objectId, plainDate, text } from './fields';
import { type Resource, schemaColumns, table } from './resource';

const meters = nullable(z.object({ meters: nullable(finite(0, 1e6)) }));

export const rocketSchema = z.object({
  id: objectId,
  name,
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

export type Rocket = z.infer<typeof rocketSchema>;

export const rockets: Resource<Rocket> = {
  name: 'rockets',
  queryPath: '/v4/rockets/query',
  schema: rocketSchema,
  current: table<Rocket>(
    'rockets',
    schemaColumns(rocketSchema, {
      height: { height_m: (d) => d.height?.meters },
      diameter: { diameter_m: (d) => d.diameter?.meters },
      mass: { mass_kg: (d) => d.mass?.kg },
    }),
  ),
};

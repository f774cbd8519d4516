import * as z from 'zod/mini';
import { finite, int32, mass, name, nullable, objectId, plainDate, text } from './fields';
import { type Resource, table } from './resource';

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
  current: table<Rocket>('rockets', {
    name: (d) => d.name,
    type: (d) => d.type,
    active: (d) => d.active,
    stages: (d) => d.stages,
    boosters: (d) => d.boosters,
    cost_per_launch: (d) => d.cost_per_launch,
    success_rate_pct: (d) => d.success_rate_pct,
    first_flight: (d) => d.first_flight,
    country: (d) => d.country,
    company: (d) => d.company,
    height_m: (d) => d.height?.meters,
    diameter_m: (d) => d.diameter?.meters,
    mass_kg: (d) => d.mass?.kg,
    description: (d) => d.description,
  }),
};

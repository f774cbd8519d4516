import * as z from 'zod/mini';
import { int32, mass, name, nullable, objectId, text } from './fields';
import { type Resource, schemaColumns, table } from './resource';

export const payloadSchema = z.object({
  id: objectId,
  name,
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

export type Payload = z.infer<typeof payloadSchema>;

export const payloads: Resource<Payload> = {
  name: 'payloads',
  queryPath: '/v4/payloads/query',
  schema: payloadSchema,
  current: table<Payload>('payloads', schemaColumns(payloadSchema, { launch: { launch_id: (d) => d.launch } })),
};

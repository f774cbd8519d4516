import { landpadSchema, launchpadSchema, launchSchema, payloadSchema, rocketSchema, type Schema } from './schemas';

/**
 * A resource is one kind of document the source serves and the store keeps: where to page
 * it from and how to validate it (the typed rows it becomes are in store/rows.ts).
 */
export interface Resource {
  name: ResourceName;
  queryPath: string;
  /** Sort key for stable paging, when the resource has one. */
  sort?: object;
  /** Documents per page, where one document can be large (else SPACEX_API_PAGE_SIZE). */
  pageSize?: number;
  schema: Schema;
}

export type ResourceName = 'rockets' | 'launchpads' | 'landpads' | 'payloads' | 'launches';

/** Referenced resources first, so a launch never lands before what it points at. */
export const resources: readonly Resource[] = [
  { name: 'rockets', queryPath: '/v4/rockets/query', schema: rocketSchema },
  // A pad lists every launch flown from it, so its document grows with the history: one per
  // page keeps the backfill's memory to one document rather than all pads at once.
  { name: 'launchpads', queryPath: '/v4/launchpads/query', pageSize: 1, schema: launchpadSchema },
  { name: 'landpads', queryPath: '/v4/landpads/query', pageSize: 1, schema: landpadSchema },
  { name: 'payloads', queryPath: '/v4/payloads/query', schema: payloadSchema },
  {
    name: 'launches',
    queryPath: '/v5/launches/query',
    sort: { flight_number: 'asc' },
    schema: launchSchema,
  },
];

export function resource(name: ResourceName): Resource {
  return resources.find((r) => r.name === name)!;
}

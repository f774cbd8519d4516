import { landpadSchema, launchpadSchema, launchSchema, payloadSchema, rocketSchema, type Schema } from './schemas';
import replaceLaunches from '../../../sql/load/launches.sql';
import replacePayloads from '../../../sql/load/payloads.sql';
import replaceLaunchpads from '../../../sql/load/launchpads.sql';
import replaceLandpads from '../../../sql/load/landpads.sql';
import replaceRockets from '../../../sql/load/rockets.sql';

/**
 * A resource is one kind of document the source serves and the store keeps: where to page
 * it from, how to validate it, and the statement that replaces its current rows (the typed
 * rows themselves are in store/rows.ts).
 */
export interface Resource {
  name: ResourceName;
  queryPath: string;
  /** Sort key for stable paging, when the resource has one. */
  sort?: object;
  /** Documents per page, where one document can be large (else SPACEX_API_PAGE_SIZE). */
  pageSize?: number;
  schema: Schema;
  /** Replaces the current rows of documents that had an earlier version (sql/load/). */
  replaceSql: string;
}

export type ResourceName = 'rockets' | 'launchpads' | 'landpads' | 'payloads' | 'launches';

/** Referenced resources first, so a launch never lands before what it points at. */
export const resources: readonly Resource[] = [
  { name: 'rockets', queryPath: '/v4/rockets/query', schema: rocketSchema, replaceSql: replaceRockets },
  // A pad lists every launch flown from it, so its document grows with the history: one per
  // page keeps the backfill's memory to one document rather than all pads at once.
  { name: 'launchpads', queryPath: '/v4/launchpads/query', pageSize: 1, schema: launchpadSchema, replaceSql: replaceLaunchpads },
  { name: 'landpads', queryPath: '/v4/landpads/query', pageSize: 1, schema: landpadSchema, replaceSql: replaceLandpads },
  { name: 'payloads', queryPath: '/v4/payloads/query', schema: payloadSchema, replaceSql: replacePayloads },
  {
    name: 'launches',
    queryPath: '/v5/launches/query',
    sort: { flight_number: 'asc' },
    schema: launchSchema,
    replaceSql: replaceLaunches,
  },
];

export function resource(name: ResourceName): Resource {
  return resources.find((r) => r.name === name)!;
}

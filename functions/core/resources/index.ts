import { landpads } from './landpads';
import { launches } from './launches';
import { launchpads } from './launchpads';
import { payloads } from './payloads';
import type { Resource, ResourceName } from './resource';
import { rockets } from './rockets';

export type { Landpad } from './landpads';
export type { Launch } from './launches';
export type { Launchpad } from './launchpads';
export type { Payload } from './payloads';
export type { Rocket } from './rockets';
export { describeIssues, type Schema } from './fields';
export type { LinkTable, Resource, ResourceName, Table } from './resource';

/** Referenced resources first, so a launch never lands before what it points at. */
export const resources: readonly Resource[] = [rockets, launchpads, landpads, payloads, launches];

export function resource(name: ResourceName): Resource {
  return resources.find((r) => r.name === name)!;
}

export const RESOURCE_NAMES: readonly ResourceName[] = resources.map((r) => r.name);

/** The tables a load of the resource writes: its raw table, its current-state table, its link tables. */
export function tablesOf(r: Resource): string[] {
  return [`raw_${r.name}`, r.current.name, ...(r.links ?? []).map((link) => link.name)];
}

/** Every raw table (the versions), every current-state table, every link table. */
export const RAW_TABLES: readonly string[] = resources.map((r) => `raw_${r.name}`);
export const CURRENT_TABLES: readonly string[] = resources.map((r) => r.current.name);
export const LINK_TABLES: readonly string[] = resources.flatMap((r) => (r.links ?? []).map((link) => link.name));

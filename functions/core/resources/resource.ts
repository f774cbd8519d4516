import type * as z from 'zod/mini';
import type { Value } from '../store/copy';
import type { Schema } from './fields';

export type ResourceName = 'rockets' | 'launchpads' | 'landpads' | 'payloads' | 'launches';

/** One column of a table: how a validated document (or list element) gives its value. */
type Field<D> = (document: D, position: number) => Value;

/** A column whose new value, when a version replaces another, is not simply the new version's. */
interface KeptField<D> {
  value: Field<D>;
  /** SQL for the replaced row's value: `c` is the current row, EXCLUDED the new version's. */
  onReplace: string;
}

export interface Table<D> {
  name: string;
  /** Columns in the order `row` fills them, after `id` (or `launch_id` for link tables). */
  columns: readonly string[];
  /** Column -> SQL of its value when a version replaces another, where not EXCLUDED.column. */
  keep: Readonly<Record<string, string>>;
  row: (document: D, position: number) => Value[];
}

/** A table with one row per element of a document's list (`position` counts from 1). */
export interface LinkTable<D> extends Table<unknown> {
  rows: (document: D) => Value[][];
}

/**
 * A resource is one kind of document the source serves and the store keeps: where to page it
 * from, its schema, and the typed rows each validated document becomes (its current-state table,
 * named like the resource, and for launches the link tables). The merge statements are generated
 * from these columns, so adding a field is its schema entry, its column (for most resources the
 * schema's field itself: schemaColumns), and a migration.
 */
export interface Resource<D = never> {
  name: ResourceName;
  queryPath: string;
  /** Sort key for stable paging, when the resource has one. */
  sort?: object;
  /** Documents per page, where one document can be large (else SPACEX_API_PAGE_SIZE). */
  pageSize?: number;
  schema: Schema;
  current: Table<D>;
  links?: readonly LinkTable<D>[];
}

/** A table from its columns in order, each with the function that gives its value. */
export function table<D>(name: string, fields: Record<string, Field<D> | KeptField<D>>): Table<D> {
  const entries = Object.entries(fields);
  const values = entries.map(([, f]) => (typeof f === 'function' ? f : f.value));
  const keep = Object.fromEntries(entries.flatMap(([column, f]) => (typeof f === 'function' ? [] : [[column, f.onReplace]])));
  return { name, columns: entries.map(([column]) => column), keep, row: (d, position) => values.map((value) => value(d, position)) };
}

/** The fields of a document that are not a Value as they are: a column can only be derived from them. */
type NotValueFields<D> = { [F in keyof D]-?: D[F] extends Value ? never : F }[keyof D];

/** What fields become instead of a column of their own name: one column, several, or none. */
type Instead<D> = { [F in keyof D]?: Record<string, Field<D>> } & { [F in NotValueFields<D>]: Record<string, Field<D>> };

/**
 * The columns of a current-state table, from the resource's schema. The schema checks just the
 * fields the store types (fields.ts), so each of its fields but `id` is a column of the same
 * name, in the schema's order, unless `instead` says what that field becomes: a renamed column,
 * columns taken out of a nested object, or none.
 */
export function schemaColumns<S extends z.ZodMiniObject>(schema: S, instead: Instead<z.infer<S>>) {
  type D = z.infer<S>;
  const fields = Object.keys(schema.shape).filter((field) => field !== 'id');
  const replaced: Record<string, Record<string, Field<D>>> = instead;
  return Object.fromEntries(
    fields.flatMap((field) => Object.entries(replaced[field] ?? { [field]: (d: D) => d[field as keyof D] as Value })),
  ) as Record<string, Field<D>>;
}

/** A link table: one row per element of `elements(document)`, positions from 1. */
export function linkTable<D, E>(name: string, elements: (document: D) => readonly E[], fields: Record<string, Field<E>>): LinkTable<D> {
  const of = table<E>(name, fields);
  return { ...(of as Table<unknown>), rows: (d) => elements(d).map((element, i) => of.row(element, i + 1)) };
}

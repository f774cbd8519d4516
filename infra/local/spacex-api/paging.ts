/** Query options, sorting and the paging envelope, as mongoose-paginate-v2 answers them. */
import { badRequest, isPlainObject, parseJson } from './http';
import type { Selection } from './query';

/** mongoose-paginate-v2's default page size; the cap keeps one page below ~150 MB. */
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100_000;

export type SortSpec = [field: string, direction: 1 | -1][];

export interface QueryOptions {
  page: number;
  limit: number;
  sort: SortSpec;
  pagination: boolean;
}

export interface PageMeta {
  totalDocs: number;
  offset: number;
  limit: number;
  totalPages: number;
  page: number;
  pagingCounter: number;
  hasPrevPage: boolean;
  hasNextPage: boolean;
  prevPage: number | null;
  nextPage: number | null;
}

const QUERY_OPTIONS = new Set(['page', 'limit', 'sort', 'pagination']);

export function parseQueryBody(rawBody: string): { query: Record<string, unknown>; options: QueryOptions } {
  const body = parseJson(rawBody) ?? {};
  if (!isPlainObject(body)) throw badRequest('the query body must be a JSON object {query, options}');
  const query = body.query ?? {};
  const options = body.options ?? {};
  if (!isPlainObject(query)) throw badRequest('"query" must be an object');
  if (!isPlainObject(options)) throw badRequest('"options" must be an object');
  for (const key of Object.keys(options))
    if (!QUERY_OPTIONS.has(key)) throw badRequest(`unsupported option "${key}" (supported: ${[...QUERY_OPTIONS].join(', ')})`);
  const whole = (key: string, fallback: number) => {
    const value = options[key] ?? fallback;
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw badRequest(`option "${key}" must be a number`);
    return Math.trunc(n);
  };
  if (options.pagination !== undefined && typeof options.pagination !== 'boolean')
    throw badRequest('option "pagination" must be a boolean');
  return {
    query,
    options: {
      page: Math.max(1, whole('page', 1)),
      limit: Math.min(MAX_LIMIT, Math.max(0, whole('limit', DEFAULT_LIMIT))),
      sort: parseSort(options.sort),
      pagination: options.pagination !== false,
    },
  };
}

function parseSort(sort: unknown): SortSpec {
  if (sort === undefined || sort === null) return [];
  if (typeof sort === 'string') {
    return sort
      .split(/\s+/)
      .filter(Boolean)
      .map((field) => (field.startsWith('-') ? [field.slice(1), -1] : [field, 1]));
  }
  if (!isPlainObject(sort)) throw badRequest('option "sort" must be an object or a string');
  return Object.entries(sort).map(([field, direction]) => {
    if (direction === 1 || direction === 'asc' || direction === 'ascending') return [field, 1];
    if (direction === -1 || direction === 'desc' || direction === 'descending') return [field, -1];
    throw badRequest(`sort direction of "${field}" must be asc, desc, 1 or -1`);
  });
}

/**
 * Envelope fields for a page. With pagination false every match is one page, as page 1 of a
 * limit that takes them all; a limit of 0 counts the matches: page 1 of 1, no documents.
 */
export function paginate(totalDocs: number, options: QueryOptions): { meta: PageMeta; from: number; count: number } {
  if (!options.pagination) return pageOf(totalDocs, totalDocs, 1, 1);
  const { limit, page } = options;
  if (limit === 0) return pageOf(totalDocs, 0, 1, 1);
  return pageOf(totalDocs, limit, page, Math.ceil(totalDocs / limit) || 1);
}

/** Page `page` of `totalPages`, `limit` matches a page: its envelope, and which matches it holds. */
function pageOf(totalDocs: number, limit: number, page: number, totalPages: number): { meta: PageMeta; from: number; count: number } {
  const offset = (page - 1) * limit;
  const meta: PageMeta = {
    totalDocs,
    offset,
    limit,
    totalPages,
    page,
    pagingCounter: offset + 1,
    hasPrevPage: page > 1,
    hasNextPage: page < totalPages,
    prevPage: page > 1 ? page - 1 : null,
    nextPage: page < totalPages ? page + 1 : null,
  };
  return { meta, from: offset, count: Math.max(0, Math.min(limit, totalDocs - offset)) };
}

/** Sort keys per field; the natural order (index) breaks ties. */
export type SortKeys = Record<string, (index: number) => number>;

export function sortSelection(sortKeys: SortKeys, selection: Selection, sort: SortSpec): Selection {
  if (sort.length === 0) return selection;
  const keys = sort.map(([field, direction]) => {
    const key = sortKeys[field];
    if (!key) throw badRequest(`unsupported sort field "${field}" (supported: ${Object.keys(sortKeys).join(', ') || 'none'})`);
    return [key, direction] as const;
  });
  // Natural order is flight_number order: that sort (the common one) needs no work.
  if (sort[0][0] === 'flight_number') {
    return sort[0][1] === 1 ? selection : { count: selection.count, at: (k) => selection.at(selection.count - 1 - k) };
  }
  // Sort positions in the selection by precomputed key columns; position order is the natural order.
  const columns = keys.map(([key]) => Float64Array.from({ length: selection.count }, (_, k) => key(selection.at(k))));
  const positions = Array.from({ length: selection.count }, (_, k) => k);
  positions.sort((a, b) => {
    for (let n = 0; n < keys.length; n++) {
      const difference = columns[n][a] - columns[n][b];
      if (difference !== 0) return difference * keys[n][1];
    }
    return a - b;
  });
  return { count: positions.length, at: (k) => selection.at(positions[k]) };
}

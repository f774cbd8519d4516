import { backOff } from 'exponential-backoff';
import { BasicAuth, Trino } from 'trino-client';
import * as z from 'zod/mini';
import { parse } from '../config';
import { QueryError } from '../errors';

export { QueryError };

/** Trino answered the query with an error; errorName is Trino's, e.g. NO_NODES_AVAILABLE. */
export class TrinoQueryError extends QueryError {
  constructor(
    message: string,
    readonly errorName: string,
  ) {
    super(message);
  }
}

export interface TrinoSettings {
  url: string;
  catalog: string;
  schema: string;
  user: string;
}

/** A Trino identifier as the catalog and schema headers carry it (no quoting there). */
const identifier = (what: string) =>
  z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, `must be a ${what} name: letters, digits and _, not starting with a digit`));

const trinoSchema = z.object({
  TRINO_URL: z._default(
    z.pipe(
      z
        .string()
        .check(z.refine((v) => /^https?:\/\/[^/]/.test(v) && URL.canParse(v), 'must be an http(s):// URL such as http://localhost:8080')),
      z.transform((v) => v.replace(/\/+$/, '')),
    ),
    'http://localhost:8080',
  ),
  TRINO_CATALOG: z._default(identifier('catalog'), 'postgresql'),
  TRINO_SCHEMA: z._default(identifier('schema'), 'public'),
  // Sent as the basic-auth user (no password over plain HTTP): no colon, no spaces.
  TRINO_USER: z._default(
    z.string().check(z.regex(/^[^\s:]{1,128}$/, 'must be a user name of 1 to 128 characters without spaces or ":"')),
    'spacex-pipeline',
  ),
});

/** What `query` and the demo use when nothing is set; the local launcher's checks too. */
export const QUERY_DEFAULTS: TrinoSettings = {
  url: 'http://localhost:8080',
  catalog: 'postgresql',
  schema: 'public',
  user: 'spacex-pipeline',
};

/** TRINO_URL, TRINO_CATALOG, TRINO_SCHEMA, TRINO_USER; an invalid one is a ConfigError naming it. */
export function trinoSettings(env: Record<string, string | undefined> = process.env): TrinoSettings {
  const c = parse(trinoSchema, env);
  return { url: c.TRINO_URL, catalog: c.TRINO_CATALOG, schema: c.TRINO_SCHEMA, user: c.TRINO_USER };
}

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
}

export interface QueryOptions {
  /**
   * How long a query failing with NO_NODES_AVAILABLE is retried (default 60 s): a Trino that
   * has just started, or a worker that has just (re)joined, lists its nodes for a connector
   * catalog a few seconds after it answers. Such a query never ran, so retrying it is safe.
   */
  noNodesWaitMs?: number;
}

const NO_NODES = 'NO_NODES_AVAILABLE';

/**
 * Runs one statement through Trino and returns every row. The client reports SQL errors in
 * a page instead of throwing, so each page is checked; the iterator is always drained (or the
 * query cancelled) so no query is left running on the server.
 */
export async function runQuery(settings: TrinoSettings, sql: string, options: QueryOptions = {}): Promise<QueryResult> {
  const waitMs = options.noNodesWaitMs ?? 60_000;
  const deadline = Date.now() + waitMs;
  try {
    return await backOff(() => runOnce(settings, sql), {
      numOfAttempts: Number.MAX_SAFE_INTEGER, // bounded by the deadline below
      startingDelay: 500,
      timeMultiple: 2,
      maxDelay: 4000,
      retry: (error) => error instanceof TrinoQueryError && error.errorName === NO_NODES && Date.now() < deadline,
    });
  } catch (error) {
    if (error instanceof TrinoQueryError && error.errorName === NO_NODES && waitMs > 0) {
      throw new TrinoQueryError(
        `Trino at ${settings.url} has no active node for catalog ${settings.catalog} (${NO_NODES}), ` +
          `still after ${Math.round(waitMs / 1000)} s. ` +
          'A Trino that has just started lists its nodes a few seconds late, and a cluster whose workers are all down has none: ' +
          'check `spacex-pipeline trino status` (or the cluster), then retry.',
        NO_NODES,
      );
    }
    throw error;
  }
}

async function runOnce(settings: TrinoSettings, sql: string): Promise<QueryResult> {
  const trino = Trino.create({
    server: settings.url,
    catalog: settings.catalog,
    schema: settings.schema,
    auth: new BasicAuth(settings.user),
  });
  const statement = sql.trim().replace(/;\s*$/, '');
  let pages: Awaited<ReturnType<typeof trino.query>>;
  try {
    pages = await trino.query(statement);
  } catch (error) {
    throw new QueryError(
      `Cannot reach Trino at ${settings.url}: ${(error as Error).message}. Start it with \`npm run trino:up\` or set TRINO_URL.`,
    );
  }
  let columns: QueryResult['columns'] = [];
  const data: unknown[][] = [];
  let queryId: string | undefined;
  try {
    for await (const page of pages) {
      queryId = page.id;
      if (page.error) {
        throw new TrinoQueryError(`Trino ${page.error.errorName}: ${page.error.message}`, page.error.errorName);
      }
      if (page.columns) columns = page.columns;
      if (page.data) data.push(...page.data);
    }
  } catch (error) {
    if (queryId) await trino.cancel(queryId).catch(() => undefined);
    if (error instanceof QueryError) throw error;
    throw new QueryError(`Trino at ${settings.url} failed during the query: ${(error as Error).message}`);
  }
  return { columns, rows: data.map((row) => Object.fromEntries(columns.map((c, i) => [c.name, row[i]]))) };
}

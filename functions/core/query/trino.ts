import { BasicAuth, Trino } from 'trino-client';
import { QueryError } from '../errors';

export { QueryError };

export interface TrinoSettings {
  url: string;
  catalog: string;
  schema: string;
  user: string;
}

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
}

export function trinoSettings(env: Record<string, string | undefined> = process.env): TrinoSettings {
  const url = (env.TRINO_URL || 'http://localhost:8080').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(url) || !URL.canParse(url)) throw new QueryError(`TRINO_URL must be an http(s):// URL, got "${url}"`);
  return {
    url,
    catalog: env.TRINO_CATALOG || 'postgresql',
    schema: env.TRINO_SCHEMA || 'public',
    user: env.TRINO_USER || 'spacex-pipeline',
  };
}

/**
 * Runs one statement through Trino and returns every row. The client reports SQL errors in
 * a page instead of throwing, so each page is checked; the iterator is always drained (or the
 * query cancelled) so no query is left running on the server.
 */
export async function runQuery(settings: TrinoSettings, sql: string): Promise<QueryResult> {
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
        throw new QueryError(`Trino ${page.error.errorName}: ${page.error.message}`);
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

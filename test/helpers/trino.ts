import { BasicAuth, Trino } from 'trino-client';
import { trinoUp } from '../../infra/local/trino';

/** Off 8080, so a developer's own Trino (or docker compose) keeps its port. */
const TEST_TRINO_PORT = Number(process.env.TEST_TRINO_PORT ?? 18080);

/**
 * A Trino whose `postgresql` catalog is the given database: TRINO_URL when set (then that
 * Trino must already point at it), else the local one on the test port, started on demand.
 * The first start downloads Trino once and takes a minute or more.
 */
export async function ensureTrino(databaseUrl: string): Promise<string> {
  if (process.env.TRINO_URL) return process.env.TRINO_URL.replace(/\/+$/, '');
  const { url } = await trinoUp({ databaseUrl, port: TEST_TRINO_PORT, log: (message) => process.stderr.write(`[trino] ${message}\n`) });
  return url;
}

/**
 * Runs one statement against catalog postgresql, schema public, and returns its rows keyed by
 * column name. The client reports SQL errors in a page rather than throwing, so every page is
 * checked, and the iterator is drained so the statement (DDL and INSERT too) runs to its end.
 */
export async function runTrino(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const trino = Trino.create({ server: url, catalog: 'postgresql', schema: 'public', auth: new BasicAuth('spacex-pipeline') });
  const pages = await trino.query(sql);
  let columns: string[] = [];
  const rows: Record<string, unknown>[] = [];
  for await (const page of pages) {
    if (page.error) throw new Error(`Trino ${page.error.errorName}: ${page.error.message}\n${sql}`);
    if (page.columns) columns = page.columns.map((column) => column.name);
    for (const values of page.data ?? []) rows.push(Object.fromEntries(columns.map((name, n) => [name, values[n]])));
  }
  return rows;
}

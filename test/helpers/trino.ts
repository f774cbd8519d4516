import { trinoUp } from '../../infra/local/trino';

/** Off 8080, so a developer's own Trino (or docker compose) keeps its port. */
export const TEST_TRINO_PORT = Number(process.env.TEST_TRINO_PORT ?? 18080);

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

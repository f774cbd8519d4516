import path from 'node:path';
import { startLocalPostgres } from '../../infra/local/postgres';

/** One real PostgreSQL for the whole run, on a port of its own; test files make their own databases. */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const server = await startLocalPostgres({
    dir: path.resolve(__dirname, '../../.data/test-postgres'),
    port: Number(process.env.TEST_PG_PORT ?? 54329),
    database: 'postgres',
  });
  process.env.TEST_DATABASE_URL = server.url;
  process.env.TEST_PG_DATA = server.dataDir;
}

import path from 'node:path';
import { startLocalPostgres } from '../../infra/local/postgres';
import { freePort } from './ports';

/**
 * One real PostgreSQL for the whole run; test files make their own databases in it. Each
 * jest run gets its own cluster and port, so concurrent runs never stop each other's server.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TEST_RUN_PID = String(process.pid);
  if (process.env.TEST_DATABASE_URL) return;
  const dir = path.resolve(__dirname, '../../.data/test-postgres', String(process.pid));
  const server = await startLocalPostgres({ dir, port: await freePort(), database: 'postgres' });
  process.env.TEST_DATABASE_URL = server.url;
  process.env.TEST_PG_DIR = dir;
  (globalThis as { testPostgres?: { stop(): void } }).testPostgres = server;
}

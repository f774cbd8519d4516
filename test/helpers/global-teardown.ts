import { rmSync } from 'node:fs';
import { trinoDown } from '../../infra/local/trino';
import { TEST_TRINO_PORT } from './trino';

/** Stops this run's PostgreSQL (removing its cluster) and the test Trino, if one was started. */
export default async function globalTeardown(): Promise<void> {
  if (!process.env.TRINO_URL) await trinoDown({ port: TEST_TRINO_PORT }).catch(() => undefined);
  const server = (globalThis as { testPostgres?: { stop(): void } }).testPostgres;
  if (!server) return;
  server.stop();
  rmSync(process.env.TEST_PG_DIR!, { recursive: true, force: true });
}

import { rmSync } from 'node:fs';
import { stopTestTrino } from './trino';

/** Stops this run's PostgreSQL (removing its cluster) and the test Trino, if one was started. */
export default async function globalTeardown(): Promise<void> {
  await stopTestTrino().catch(() => undefined);
  const server = (globalThis as { testPostgres?: { stop(): void } }).testPostgres;
  if (!server) return;
  server.stop();
  rmSync(process.env.TEST_PG_DIR!, { recursive: true, force: true });
}

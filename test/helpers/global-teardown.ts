import { rmSync } from 'node:fs';

/** Stops this run's PostgreSQL and removes its cluster. */
export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { testPostgres?: { stop(): void } }).testPostgres;
  if (!server) return;
  server.stop();
  rmSync(process.env.TEST_PG_DIR!, { recursive: true, force: true });
}

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { trinoDown, trinoUp } from '../../infra/local/trino';

/** Off 8080, so a developer's own Trino (or docker compose) keeps its port. Workers take the next ports. */
export const TEST_TRINO_PORT = Number(process.env.TEST_TRINO_PORT ?? 18080);

/** Which jest run started the test Trino: only that run's teardown stops it. */
const OWNER_FILE = path.resolve(__dirname, '../../.data/test-trino.owner');

/**
 * A Trino whose `postgresql` catalog is the given database: TRINO_URL when set (then that
 * Trino must already point at it), else the local one on the test port, started on demand
 * with that many workers (a cluster always runs locally). The first start downloads Trino
 * once and takes a minute or more.
 */
export async function ensureTrino(databaseUrl: string, workers = 0): Promise<string> {
  if (process.env.TRINO_URL && workers === 0) return process.env.TRINO_URL.replace(/\/+$/, '');
  const log = (message: string) => process.stderr.write(`[trino] ${message}\n`);
  const { url } = await trinoUp({ databaseUrl, port: TEST_TRINO_PORT, workers, workerHeap: '1G', log });
  // The global setup's pid, inherited by every worker of this run.
  writeFileSync(OWNER_FILE, process.env.TEST_RUN_PID ?? '');
  return url;
}

/** Called by the global teardown (in the jest run's main process); stops the workers too. */
export async function stopTestTrino(): Promise<void> {
  let owner: number | undefined;
  try {
    owner = Number(readFileSync(OWNER_FILE, 'utf8'));
  } catch {
    return;
  }
  if (owner === process.pid) await trinoDown({ port: TEST_TRINO_PORT });
}

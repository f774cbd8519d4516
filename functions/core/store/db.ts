import pg from 'pg';
import { redactText, redactUrl } from '../config';
import { StoreError } from '../errors';

export { StoreError };

// int8 and numeric come back as strings by default; counts and ids fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * Rows written in one go past which a step refreshes the tables' statistics itself, rather than
 * leave the next small lookups planned as full scans until autovacuum catches up.
 */
export const BULK_ROWS = 10_000;

/** Where the pipeline keeps everything: all a step needs to record a run. */
export interface Database {
  pool: pg.Pool;
  databaseUrl: string;
}

export function createDatabase(url: string): Database {
  return { pool: createPool(url), databaseUrl: url };
}

export function createPool(url: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000, application_name: 'spacex-pipeline' });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return pool;
}

/** Connects, turning connection failures into an error that names the server, not the secret. */
export async function connect(pool: pg.Pool, url: string): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw new StoreError(
      `Cannot connect to PostgreSQL at ${redactUrl(url)}: ${redactText((error as Error).message, url)}. ` +
        'Check DATABASE_URL and that the server is running.',
    );
  }
}

export async function inTransaction<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Every write transaction of the pipeline takes this lock first. Loads and aggregate refreshes
 * therefore commit one after another: raw version ids commit in order (which the aggregate
 * watermark relies on) and concurrent invocations queue instead of deadlocking.
 */
export async function lockPipeline(client: pg.PoolClient): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock(hashtext('spacex-pipeline'))");
}

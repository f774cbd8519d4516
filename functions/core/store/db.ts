import pg from 'pg';
import { type DatabaseBounds, databaseBounds, redactText, redactUrl } from '../config';
import { StoreError } from '../errors';
import { log } from '../log';

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
  /** How long its waits may last; the defaults of databaseBounds when absent. */
  bounds?: DatabaseBounds;
}

export function createDatabase(url: string, bounds: DatabaseBounds = databaseBounds({})): Database {
  return { pool: createPool(url, bounds), databaseUrl: url, bounds };
}

/** How long a TCP connection may stay silent before the kernel probes whether its peer is still there. */
const KEEPALIVE_DELAY_MS = 10_000;
/** The client waits this much longer than the server's statement_timeout, for the server's own error to arrive. */
const CLIENT_GRACE_MS = 5_000;

/**
 * Every wait on the server is bounded: a lock (lock_timeout), a statement (statement_timeout,
 * and on the client query_timeout should the server itself hang), a transaction left open
 * (idle_in_transaction_session_timeout), connecting, and a peer that vanished without closing
 * the connection (TCP keepalive).
 */
export function createPool(url: string, bounds: DatabaseBounds = databaseBounds({}), max = 4): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: 'spacex-pipeline',
    connectionTimeoutMillis: bounds.connectTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    lock_timeout: bounds.lockWaitMs,
    statement_timeout: bounds.statementTimeoutMs,
    query_timeout: bounds.statementTimeoutMs + CLIENT_GRACE_MS,
    idle_in_transaction_session_timeout: bounds.idleInTransactionTimeoutMs,
  });
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

/**
 * Runs `work` on a checked-out client, then gives it back to the pool, discarded if anything
 * failed. The pool listens for errors only on idle clients: a checked-out one whose server goes
 * away emits 'error', which unheard would crash the process (the query in flight fails with it).
 */
export async function usingClient<T>(client: pg.PoolClient, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let broken = false;
  const onError = () => void (broken = true);
  client.on('error', onError);
  try {
    return await work(client);
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
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

const PIPELINE_LOCK = "hashtext('spacex-pipeline')";

/**
 * Runs `work` in a transaction holding the pipeline lock, which every write transaction of the
 * pipeline takes first. Loads and aggregate refreshes therefore commit one after another: raw
 * version ids commit in order (which the aggregate watermark relies on) and concurrent
 * invocations queue instead of deadlocking. Nothing waits on the network while holding it: the
 * source is read before. The wait for it is bounded (PIPELINE_LOCK_WAIT_MS); how long it was
 * held is logged and returned, in milliseconds.
 */
export async function withPipelineLock<T>(
  client: pg.PoolClient,
  db: Pick<Database, 'bounds'>,
  work: () => Promise<T>,
): Promise<{ result: T; lockMs: number }> {
  let acquired = 0;
  const result = await inTransaction(client, async () => {
    await lockPipeline(client, db.bounds?.lockWaitMs ?? databaseBounds({}).lockWaitMs);
    acquired = performance.now();
    return work();
  });
  const lockMs = Math.round(performance.now() - acquired);
  log.debug({ lockMs }, 'pipeline lock released');
  return { result, lockMs };
}

async function lockPipeline(client: pg.PoolClient, waitMs: number): Promise<void> {
  const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(${PIPELINE_LOCK}) AS ok`);
  if (rows[0].ok) return;
  // Who holds it, asked while this transaction can still ask, for the message should the wait run out.
  const holder = await lockHolder(client);
  await client.query(`SET LOCAL lock_timeout = ${Math.round(waitMs)}`);
  try {
    await client.query(`SELECT pg_advisory_xact_lock(${PIPELINE_LOCK})`);
  } catch (error) {
    if ((error as { code?: string }).code !== '55P03') throw error;
    throw new StoreError(
      `Gave up waiting for the pipeline lock after ${waitMs} ms (PIPELINE_LOCK_WAIT_MS): it is held by ${holder}. ` +
        'Another run is still writing: retry when it has finished. If that session hung, end it with ' +
        'SELECT pg_terminate_backend(<pid>) and run again; nothing of this run was written.',
      { cause: error },
    );
  }
}

async function lockHolder(client: pg.PoolClient): Promise<string> {
  const { rows } = await client.query<{ pid: number; run: string | null; since: string | null; state: string | null }>(
    `SELECT l.pid, a.state, to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS" UTC"') AS since,
            (SELECT r.step || ' run ' || r.run_id FROM pipeline_runs r
             WHERE r.status = 'running' AND (r.counts->>'backend_pid')::integer = l.pid ORDER BY r.run_id DESC LIMIT 1) AS run
     FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND ((l.classid::bigint << 32) | l.objid::bigint) = ${PIPELINE_LOCK}::bigint
     LIMIT 1`,
  );
  const h = rows[0];
  if (!h) return 'a session that has just released it';
  const since = h.since ? `, in a transaction since ${h.since}` : '';
  return `${h.run ?? 'a session'} (backend pid ${h.pid}${since}${h.state ? `, ${h.state}` : ''})`;
}

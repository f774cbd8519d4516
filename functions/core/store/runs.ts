import type pg from 'pg';

export type Step = 'backfill' | 'ingest' | 'aggregate';

export interface RunSummary {
  runId: number;
  step: Step;
  status: 'succeeded' | 'failed';
  counts: Record<string, unknown>;
  changedLaunchIds: string[];
  error?: string;
}

/**
 * Opens a run row (committed at once, so a failure still leaves its trace). A run left
 * 'running' by a connection that no longer exists died without closing: it is marked failed.
 * Its backend pid may have gone to a later session (after a server restart, say): a session
 * that started after the run did is not the run's.
 */
export async function startRun(client: pg.PoolClient, step: Step, trigger: string): Promise<number> {
  await client.query(
    `UPDATE pipeline_runs SET status = 'failed', finished_at = now(),
       error = coalesce(error, 'abandoned: its connection ended before the run finished')
     WHERE status = 'running'
       AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = (pipeline_runs.counts->>'backend_pid')::integer
                         AND (a.backend_start IS NULL OR a.backend_start <= pipeline_runs.started_at))`,
  );
  const { rows } = await client.query<{ run_id: number }>(
    `INSERT INTO pipeline_runs (step, trigger, counts) VALUES ($1, $2, jsonb_build_object('backend_pid', pg_backend_pid()))
     RETURNING run_id`,
    [step, trigger],
  );
  return rows[0].run_id;
}

/**
 * Adds counts to a run's record inside the caller's load transaction: they commit exactly when
 * the data they describe does, so a run that fails (or dies) later still tells what it appended.
 */
export async function recordProgress(client: pg.PoolClient, runId: number, counts: Record<string, unknown>): Promise<void> {
  await client.query('UPDATE pipeline_runs SET counts = counts || $2::jsonb WHERE run_id = $1', [runId, counts]);
}

/** Closes a run; its counts are merged over what recordProgress committed. */
export async function finishRun(client: pg.PoolClient, summary: RunSummary): Promise<void> {
  await client.query(
    `UPDATE pipeline_runs SET status = $2, finished_at = now(), counts = counts || $3::jsonb, changed_launch_ids = $4, error = $5
     WHERE run_id = $1`,
    [summary.runId, summary.status, summary.counts, summary.changedLaunchIds, summary.error ?? null],
  );
}

import type pg from 'pg';
import { correlate, log } from '../log';
import { correlationIdOf } from '../events/publish';
import { RunFailed, StoreError } from '../errors';
import { connect, type Database, usingClient } from '../store/db';
import { migrate } from '../store/migrate';
import { finishRun, startRun, type RunSummary, type Step } from '../store/runs';

export { RunFailed };

/** Changed launch ids carried by a run record and its event; the count is always exact. */
export const MAX_REPORTED_IDS = 1000;

export interface StepOutcome {
  counts: Record<string, unknown>;
  changedLaunchIds: string[];
}

/**
 * Runs one step on its own connection, recorded in pipeline_runs from start to end.
 * The schema is brought up to date first, so every entry point works on a fresh database.
 */
export async function recordedRun(
  db: Database,
  step: Step,
  trigger: string,
  work: (client: pg.PoolClient, runId: number) => Promise<StepOutcome>,
): Promise<RunSummary> {
  const client = await connect(db.pool, db.databaseUrl);
  let broken = false;
  // The pool listens for errors only on idle clients: a checked-out one whose server goes away
  // emits 'error', which unheard would crash the process. The query in flight fails with it.
  const onError = () => void (broken = true);
  client.on('error', onError);
  let release = () => {};
  try {
    await migrate(client);
    const runId = await startRun(client, step, trigger);
    release = correlate(correlationIdOf({ step, runId }));
    const started = Date.now();
    log.info({ step, runId, trigger }, `${step} run started`);
    try {
      const outcome = await work(client, runId);
      const summary: RunSummary = { runId, step, status: 'succeeded', ...outcome, counts: { ...outcome.counts, ms: Date.now() - started } };
      await finishRun(client, summary);
      log.info({ step, runId, counts: summary.counts, changedLaunches: summary.changedLaunchIds.length }, `${step} run succeeded`);
      return summary;
    } catch (error) {
      const summary: RunSummary = {
        runId,
        step,
        status: 'failed',
        counts: { ms: Date.now() - started },
        changedLaunchIds: [],
        error: (error as Error).message,
      };
      // The connection may be what failed: then the run is closed on a new one, and if the
      // database cannot be reached at all, the next run marks this one abandoned.
      await finishRun(client, summary).catch(async () => {
        broken = true;
        await db.pool
          .connect()
          .then((fresh) => usingClient(fresh, () => finishRun(fresh, summary)))
          .catch(() => undefined);
      });
      log.error({ step, runId, error: summary.error }, `${step} run failed`);
      throw new RunFailed(summary, error);
    }
  } catch (error) {
    if (error instanceof RunFailed || error instanceof StoreError) throw error;
    broken = true;
    throw new StoreError(`${step} could not be recorded: ${(error as Error).message}`, { cause: error });
  } finally {
    release();
    client.off('error', onError);
    client.release(broken);
  }
}

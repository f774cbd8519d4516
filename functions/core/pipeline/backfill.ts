import { setFlagsFromString } from 'node:v8';
import type pg from 'pg';
import { log } from '../log';
import { resources } from '../resources';
import { usingClient, withPipelineLock } from '../store/db';
import { recordProgress, type RunSummary } from '../store/runs';
import { dropStage, type ReadClock, readClock, type SourcePage, type StagedLoad, stageResource } from '../store/stage';
import { ChangeSet, mergeCollectingChanges } from './changes';
import { aggregatesBehind } from './watermarks';
import type { Pipeline } from './context';
import { recordedRun } from './run';

/**
 * Loads the full history of every resource, one transaction per resource. Unchanged
 * documents append nothing, so a second backfill (or a retry after a failure) is harmless.
 * Each resource is paged into staging tables first, with no lock held, then merged under the
 * pipeline lock: a slow source delays this run only. Resources merge one after another, in
 * order; while one merges, the next is paged and staged on a second connection when the server
 * grants one (else on the same connection, after the merge), so this process's work overlaps
 * PostgreSQL's as it did when both ran under the lock.
 */
export async function backfill(pipeline: Pipeline, trigger = 'manual'): Promise<RunSummary> {
  boundHeapGrowth();
  let behind = false;
  const summary = await recordedRun(pipeline, 'backfill', trigger, async (client, runId) => {
    const counts: Record<string, unknown> = {};
    const changes = new ChangeSet();
    const clock = await readClock(client);
    let lockMs = 0;
    const merge = async (connection: pg.PoolClient, staged: StagedLoad) => {
      const { name } = staged.resource;
      try {
        const merged = await withPipelineLock(connection, pipeline, async () => {
          const result = await mergeCollectingChanges(connection, staged, runId, changes);
          await recordProgress(connection, runId, { [name]: result });
          return result;
        });
        counts[name] = merged.result;
        lockMs = Math.max(lockMs, merged.lockMs);
        log.info({ runId, resource: name, ...merged.result, lockMs: merged.lockMs }, 'resource loaded');
      } finally {
        await dropStage(connection, staged.resource).catch(() => undefined);
      }
    };
    await withSpareConnection(pipeline, async (spare) => {
      const connections = spare ? [client, spare] : [client];
      // The merge under way, if any; it never rejects: its failure is kept for the loop to throw.
      let merging: Promise<void> = Promise.resolve();
      let failure: { error: unknown } | undefined;
      for (const [n, resource] of resources.entries()) {
        const connection = connections[n % connections.length];
        if (connections.length === 1) await merging;
        let staged: StagedLoad;
        try {
          let total: number | undefined;
          const pages = pipeline.source.pages(resource.queryPath, {}, resource.sort, resource.pageSize, (t) => (total = t));
          const batches = withProgress(resource.name, pages, pipeline.onProgress, () => total);
          staged = await stageResource(connection, resource, timed(batches, clock));
        } catch (error) {
          await merging; // what the previous resource merges commits (or fails) before this run fails
          await dropStage(connection, resource).catch(() => undefined);
          throw failure ? failure.error : error;
        }
        await merging;
        if (failure) throw failure.error;
        merging = merge(connection, staged).catch((error: unknown) => void (failure = { error }));
      }
      await merging;
      if (failure) throw failure.error;
    });
    counts.lockMs = lockMs;
    behind = await aggregatesBehind(client);
    return { counts, changedLaunchIds: changes.list() };
  });
  if (behind && pipeline.announce) await pipeline.announce(summary, pipeline);
  return summary;
}

/**
 * A second connection for the run, or none when the server refuses one (a connection limit):
 * the backfill then needs no more than one at a time.
 */
async function withSpareConnection<T>(pipeline: Pipeline, work: (spare: pg.PoolClient | undefined) => Promise<T>): Promise<T> {
  const spare = await pipeline.pool.connect().catch(() => undefined);
  return spare ? usingClient(spare, work) : work(undefined);
}

/**
 * Keeps a long load's memory near what it holds alive. A load holds about two merges of
 * documents (~50 MB) but makes several short copies of every document on the way (parsed,
 * validated, serialised); on a large host V8 lets that garbage grow the heap to about four
 * times the live size before collecting it. Growing it by at most half each time keeps the peak
 * flat in the size of the history, for some more collector time in this process (PostgreSQL sets
 * the pace of a load, not this process). The setting is process-wide and lasts; it is V8's own,
 * not allowed in NODE_OPTIONS, hence set here, by the one step that reads a whole history.
 */
function boundHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=50');
}

/** Each page with when it was read: after its request was sent, before its answer came back. */
async function* timed(pages: AsyncIterable<unknown[]>, clock: ReadClock): AsyncGenerator<SourcePage> {
  const iterator = pages[Symbol.asyncIterator]();
  try {
    for (;;) {
      const readFrom = clock.earliest();
      const next = await iterator.next();
      if (next.done) return;
      yield { readFrom, readUntil: clock.latest(), documents: next.value };
    }
  } finally {
    await iterator.return?.();
  }
}

/** Tells the pipeline's listener of every batch, and logs how far a long listing has got, at most every two seconds. */
async function* withProgress(
  resource: string,
  batches: AsyncIterable<unknown[]>,
  onProgress: Pipeline['onProgress'],
  total: () => number | undefined,
): AsyncGenerator<unknown[]> {
  let documents = 0;
  let lastReport = Date.now();
  const started = lastReport;
  onProgress?.({ resource, documents, finished: false });
  for await (const batch of batches) {
    documents += batch.length;
    onProgress?.({ resource, documents, total: total(), finished: false });
    if (Date.now() - lastReport > 2000) {
      lastReport = Date.now();
      log.info({ resource, documents, perSecond: Math.round(documents / ((lastReport - started) / 1000)) }, 'loading');
    }
    yield batch;
  }
  onProgress?.({ resource, documents, total: total(), finished: true });
}

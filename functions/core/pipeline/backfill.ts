import { log } from '../log';
import { resources } from '../source/resources';
import { inTransaction, lockPipeline } from '../store/db';
import { boundHeapGrowth } from '../store/load';
import { recordProgress, type RunSummary } from '../store/runs';
import { ChangeSet, loadCollectingChanges } from './changes';
import { aggregatesBehind } from './watermarks';
import type { Pipeline } from './context';
import { recordedRun } from './run';

/**
 * Loads the full history of every resource, one transaction per resource. Unchanged
 * documents append nothing, so a second backfill (or a retry after a failure) is harmless.
 */
export async function backfill(pipeline: Pipeline, trigger = 'manual'): Promise<RunSummary> {
  boundHeapGrowth();
  let behind = false;
  const summary = await recordedRun(pipeline, 'backfill', trigger, async (client, runId) => {
    const counts: Record<string, unknown> = {};
    const changes = new ChangeSet();
    for (const resource of resources) {
      counts[resource.name] = await inTransaction(client, async () => {
        await lockPipeline(client);
        let total: number | undefined;
        const pages = pipeline.source.pages(resource.queryPath, {}, resource.sort, resource.pageSize, (t) => (total = t));
        const batches = withProgress(resource.name, pages, pipeline.onProgress, () => total);
        const result = await loadCollectingChanges(client, resource, runId, batches, changes);
        await recordProgress(client, runId, { [resource.name]: result });
        return result;
      });
      log.info({ runId, resource: resource.name, ...(counts[resource.name] as object) }, 'resource loaded');
    }
    behind = await aggregatesBehind(client);
    return { counts, changedLaunchIds: changes.list() };
  });
  if (behind && pipeline.announce) await pipeline.announce(summary, pipeline);
  return summary;
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

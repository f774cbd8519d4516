import type pg from 'pg';
import type { Resource } from '../../functions/core/resources';
import { type LoadResult, mergeStaged } from '../../functions/core/store/merge';
import { dropStage, type SourcePage, type StagedLoad, stageResource } from '../../functions/core/store/stage';

export type { LoadResult } from '../../functions/core/store/merge';
export { MERGE_ROWS } from '../../functions/core/store/stage';

/**
 * For the store's tests: a resource loaded in one call, as the steps do it in two phases: stageResource copies what the source answers into the run's
 * staging tables, outside any lock and transaction; `apply` then merges it, in one transaction
 * holding the pipeline lock (see the backfill). By default the merge runs in the caller's
 * transaction as it stands (the store's tests).
 */
export async function loadResource<T = LoadResult>(
  client: pg.PoolClient,
  resource: Resource,
  runId: number,
  pages: AsyncIterable<SourcePage | unknown[]> | Iterable<SourcePage | unknown[]>,
  apply: (staged: StagedLoad) => Promise<T> = ((staged: StagedLoad) => mergeStaged(client, staged, runId)) as never,
): Promise<T> {
  try {
    return await apply(await stageResource(client, resource, readNow(pages)));
  } finally {
    await dropStage(client, resource).catch(() => undefined);
  }
}

let lastRead = 0;

/** Bare lists of documents (the store's tests) count as read when they arrive, each strictly after the one before. */
async function* readNow(pages: AsyncIterable<SourcePage | unknown[]> | Iterable<SourcePage | unknown[]>): AsyncGenerator<SourcePage> {
  for await (const page of pages) {
    if (!Array.isArray(page)) yield page;
    else {
      lastRead = Math.max(lastRead + 1, Date.now());
      yield { readFrom: new Date(lastRead), readUntil: new Date(lastRead), documents: page };
    }
  }
}

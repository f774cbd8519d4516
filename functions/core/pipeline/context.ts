import { createSourceClient, type SourceClient } from '../source/client';
import { databaseUrl, sourceConfig } from '../config';
import { createDatabase, type Database } from '../store/db';
import type { RunSummary } from '../store/runs';

/** What the loading steps work with: the database, the source, and who to tell about changes. */
export interface Pipeline extends Database {
  source: SourceClient;
  /**
   * Called after a backfill or ingest run when the aggregates are behind the raw store.
   * On AWS it publishes an EventBridge event; on the command line it refreshes at once.
   */
  announce?: (summary: RunSummary) => Promise<void>;
}

export function createPipeline(env: Record<string, string | undefined> = process.env, url = databaseUrl(env)): Pipeline {
  return { ...createDatabase(url), source: createSourceClient(sourceConfig(env)) };
}

export async function closePipeline(pipeline: Pipeline): Promise<void> {
  await Promise.all([pipeline.pool.end(), pipeline.source.close()]);
}

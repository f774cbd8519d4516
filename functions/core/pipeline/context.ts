import { databaseBounds, databaseUrl, sourceConfig } from '../config';
import { createSourceClient, type SourceClient } from '../source/client';
import { createDatabase, type Database } from '../store/db';
import type { RunSummary } from '../store/runs';

type Env = Record<string, string | undefined>;

/**
 * Called after a backfill or ingest run when the aggregates are behind the raw store.
 * On AWS it publishes an EventBridge event; on the command line it refreshes at once.
 */
export type Announce = (summary: RunSummary, pipeline: Pipeline) => Promise<void>;

/** How far a backfill has read a resource; `total` is the source's count when it gave one. */
export interface Progress {
  resource: string;
  documents: number;
  total?: number;
  finished: boolean;
}

/** What the loading steps work with: the database, the source, and who to tell about changes. */
export interface Pipeline extends Database {
  readonly source: SourceClient;
  readonly announce?: Announce;
  readonly onProgress?: (progress: Progress) => void;
}

/** The optional parts of a pipeline; whatever is left out is built from the environment. */
export interface PipelineParts {
  databaseUrl?: string;
  source?: SourceClient;
  announce?: Announce;
  onProgress?: (progress: Progress) => void;
}

/** The one way to build a pipeline: whole, from the environment and the parts given. */
export function createPipeline(env: Env = process.env, parts: PipelineParts = {}): Pipeline {
  const { databaseUrl: url = databaseUrl(env), source = createSourceClient(sourceConfig(env)), announce, onProgress } = parts;
  return { ...createDatabase(url, databaseBounds(env)), source, announce, onProgress };
}

export async function closePipeline(pipeline: Pipeline): Promise<void> {
  await Promise.all([pipeline.pool.end(), pipeline.source.close()]);
}

import type pg from 'pg';
import { SourceError } from '../source/client';
import { resource } from '../resources';
import { withPipelineLock } from '../store/db';
import { recordProgress, type RunSummary } from '../store/runs';
import { dropStage, readClock, type StagedLoad, stageResource } from '../store/stage';
import { ChangeSet, mergeCollectingChanges } from './changes';
import { aggregatesBehind } from './watermarks';
import type { Pipeline } from './context';
import { recordedRun } from './run';

const LATEST = '/v5/launches/latest';
const UPCOMING = '/v5/launches/upcoming';
/** Ids per `$in` query, to keep request bodies small. */
const IDS_PER_QUERY = 200;

/**
 * The incremental step. The latest launch is the source of new history; the upcoming list
 * is read too, because schedule slips of upcoming launches are what the delay measures, and
 * a launch that left the upcoming list (it flew, possibly between two ticks) is fetched by id.
 * Both GETs are conditional (ETag): an unchanged source costs two 304s and writes nothing.
 *
 * The source is read first, with no lock held and no transaction open, and staged; the lock is
 * taken only to compare and write. A run that read earlier but commits later cannot write its
 * older view over a newer one: views are ordered by when they were read (see mergeStaged), and
 * so are the ETags.
 */
export async function ingest(pipeline: Pipeline, trigger = 'manual'): Promise<RunSummary> {
  let behind = false;
  const summary = await recordedRun(pipeline, 'ingest', trigger, async (client, runId) => {
    const changes = new ChangeSet();
    const counts: Record<string, unknown> = {};
    const clock = await readClock(client);
    const readFrom = clock.earliest();
    const { launches, payloads, etags, notModified } = await fetchChanges(pipeline, client);
    const read = { readFrom, readUntil: clock.latest() };
    counts.notModified = notModified;
    const staged: StagedLoad[] = [];
    /** Compares and writes what was staged, under the pipeline lock; returns how long it held it. */
    const writeUnderLock = async (): Promise<number> => {
      const { lockMs } = await withPipelineLock(client, pipeline, async () => {
        let settled = true;
        for (const load of staged) {
          const result = await mergeCollectingChanges(client, load, runId, changes);
          counts[load.resource.name] = result;
          settled &&= !result.notApplied;
        }
        // An ETag stands for the documents read with it. Where some of them were not applied (a
        // run whose read overlapped this one's got there first), keeping the ETag would make the
        // next ingest skip them on a 304: the next ingest reads them again instead.
        for (const [url, etag] of settled ? etags : []) {
          await client.query(
            `INSERT INTO source_state (url, etag, last_read_at) VALUES ($1, $2, $4)
             ON CONFLICT (url) DO UPDATE SET etag = EXCLUDED.etag, last_read_at = EXCLUDED.last_read_at, updated_at = now()
             WHERE source_state.last_read_at IS NULL OR source_state.last_read_at < $3`,
            [url, etag, read.readFrom, read.readUntil],
          );
        }
        await recordProgress(client, runId, counts);
      });
      return lockMs;
    };
    try {
      // Payloads first, as in a backfill: a launch never lands before what it points at.
      if (payloads.length > 0) staged.push(await stageResource(client, resource('payloads'), [{ ...read, documents: payloads }]));
      if (launches.length > 0) staged.push(await stageResource(client, resource('launches'), [{ ...read, documents: launches }]));
      // Two 304s: nothing to compare or write, so no lock to wait for (the aggregates may still
      // lag what an earlier run committed: see below).
      if (staged.length > 0 || etags.size > 0) counts.lockMs = await writeUnderLock();
    } finally {
      for (const load of staged) await dropStage(client, load.resource).catch(() => undefined);
    }
    behind = await aggregatesBehind(client);
    return { counts, changedLaunchIds: changes.list() };
  });
  // Announced whenever the aggregates lag, not only when this run changed data: a retry of
  // an invocation whose event was lost still gets the aggregates refreshed.
  if (behind && pipeline.announce) await pipeline.announce(summary, pipeline);
  return summary;
}

async function fetchChanges(pipeline: Pipeline, client: pg.PoolClient) {
  const { source } = pipeline;
  const { rows } = await client.query<{ url: string; etag: string }>('SELECT url, etag FROM source_state WHERE url = ANY($1)', [
    [LATEST, UPCOMING],
  ]);
  const known = new Map(rows.map((r) => [r.url, r.etag]));
  const latest = await source.get(LATEST, known.get(LATEST));
  const upcoming = await source.get(UPCOMING, known.get(UPCOMING));

  const etags = new Map<string, string>();
  const launches: unknown[] = [];
  for (const [url, response] of [
    [LATEST, latest],
    [UPCOMING, upcoming],
  ] as const) {
    if (response.etag && response.status !== 304) etags.set(url, response.etag);
  }
  if (latest.status !== 304) launches.push(latest.body);
  if (upcoming.status !== 304) {
    if (!Array.isArray(upcoming.body)) throw new SourceError(`GET ${source.apiUrl + UPCOMING} did not answer a list of launches`);
    launches.push(...upcoming.body);
    launches.push(...(await flownSinceLastLook(pipeline, client, launches)));
  }

  const payloadIds = new Set<string>();
  for (const launch of launches) {
    const ids = (launch as { payloads?: unknown })?.payloads;
    if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'string') payloadIds.add(id);
  }
  const payloads = await fetchByIds(pipeline, resource('payloads').queryPath, [...payloadIds]);
  return { launches, payloads, etags, notModified: latest.status === 304 && upcoming.status === 304 };
}

/** Launches we hold as upcoming that the source no longer lists as upcoming. */
async function flownSinceLastLook(pipeline: Pipeline, client: pg.PoolClient, fetched: unknown[]): Promise<unknown[]> {
  const seen = new Set(fetched.map((l) => (l as { id?: unknown })?.id));
  const { rows } = await client.query<{ id: string }>('SELECT id FROM launches WHERE upcoming');
  const missing = rows.map((r) => r.id).filter((id) => !seen.has(id));
  return fetchByIds(pipeline, resource('launches').queryPath, missing);
}

async function fetchByIds(pipeline: Pipeline, path: string, ids: string[]): Promise<unknown[]> {
  const docs: unknown[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    for await (const page of pipeline.source.pages(path, { _id: { $in: ids.slice(i, i + IDS_PER_QUERY) } })) docs.push(...page);
  }
  return docs;
}

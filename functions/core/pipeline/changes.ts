import type pg from 'pg';
import { type LoadResult, lastVersion, mergeStaged } from '../store/merge';
import type { StagedLoad } from '../store/stage';
import { MAX_REPORTED_IDS } from './run';

/** Merges one staged load (see mergeStaged) and adds the launches the merge changed to `changes`. */
export async function mergeCollectingChanges(
  client: pg.PoolClient,
  staged: StagedLoad,
  runId: number,
  changes: ChangeSet,
): Promise<LoadResult> {
  const since = await lastVersion(client, staged.resource.name);
  const result = await mergeStaged(client, staged, runId);
  changes.add(await changedLaunchIds(client, staged.resource.name, since));
  return result;
}

/**
 * Launch ids affected by a load that appended the raw versions above `since`: the launches
 * themselves, or for payloads the launches that list them.
 */
async function changedLaunchIds(client: pg.PoolClient, resource: string, since: number): Promise<string[]> {
  const sql =
    resource === 'launches'
      ? 'SELECT DISTINCT id FROM raw_launches WHERE version_id > $2 ORDER BY id LIMIT $1'
      : resource === 'payloads'
        ? `SELECT DISTINCT lp.launch_id AS id FROM raw_payloads r JOIN launch_payloads lp ON lp.payload_id = r.id
           WHERE r.version_id > $2 ORDER BY id LIMIT $1`
        : undefined;
  if (!sql) return [];
  const { rows } = await client.query<{ id: string }>(sql, [MAX_REPORTED_IDS, since]);
  return rows.map((r) => r.id);
}

/** Collects changed launch ids, up to the reporting cap. */
export class ChangeSet {
  private readonly ids = new Set<string>();
  add(ids: string[]): void {
    for (const id of ids) if (this.ids.size < MAX_REPORTED_IDS) this.ids.add(id);
  }
  list(): string[] {
    return [...this.ids];
  }
}

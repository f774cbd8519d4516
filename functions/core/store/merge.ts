import type pg from 'pg';
import { type Resource, tablesOf } from '../resources';
import launchUnlinks from '../../../sql/load/launch_unlinks.sql';
import { BULK_ROWS } from './db';
import { recordQuarantine } from './quarantine';
import { type StagedLoad, stageTable } from './stage';

/** Each run with the ids of the merge's launches that had an earlier version as $1. */
const unlinkStatements = launchUnlinks.split(/;\s*\n/).filter((statement) => statement.trim());

export interface LoadResult {
  /** Documents received from the source, valid or not. */
  received: number;
  /** Documents whose content changed: one new raw version each. */
  appended: number;
  quarantined: number;
  /** Changed documents not applied: the version stored was read later, or while they were (present when not 0). */
  notApplied?: number;
}

/**
 * Appends each staged version as a new raw version, numbered as it commits, and writes its typed
 * rows over the current ones: one INSERT of the raw versions feeding one upsert of the current
 * state, the replaced columns listed from the resource's columns (a column with its own rule,
 * such as the earliest upcoming date, keeps it). Run in merge order.
 */
export function appendStatement(resource: Resource): string {
  const { current } = resource;
  const stage = stageTable(resource.name);
  const typed = current.columns;
  const updates = [
    ...typed.map((column) => `${column} = ${current.keep[column] ?? `EXCLUDED.${column}`}`),
    'version_id = EXCLUDED.version_id',
    'content_hash = EXCLUDED.content_hash',
    'last_read_at = EXCLUDED.last_read_at',
    'updated_at = now()',
  ];
  return `WITH appended AS (
  INSERT INTO raw_${resource.name} (id, content_hash, document, run_id)
  SELECT id, content_hash, document, $3 FROM ${stage} WHERE merge = $1 AND id = ANY($2::text[])
  RETURNING id, version_id
)
INSERT INTO ${current.name} AS c (id, ${typed.join(', ')}, version_id, content_hash, last_read_at)
SELECT s.id, ${typed.map((column) => `s.${column}`).join(', ')}, a.version_id, s.content_hash, s.read_until
FROM appended a JOIN ${stage} s ON s.merge = $1 AND s.id = a.id
ON CONFLICT (id) DO UPDATE SET
  ${updates.join(',\n  ')}`;
}

const appendStatements = new Map<string, string>();

interface Staged {
  id: string;
  content_hash: string;
  from_ms: number;
  until_ms: number;
}

interface Stored {
  id: string;
  content_hash: string;
  version_id: number;
  last_read_ms: number | null;
}

/**
 * Applies a staged load inside the caller's transaction, which holds the pipeline lock, so the
 * current versions read here cannot change underneath. Views are ordered by when the source was
 * read, not by when they commit (see the store's README):
 *
 * - the same content as the current version appends nothing; a later read moves its
 *   `last_read_at` on;
 * - other content is applied if it was read, for certain, after the current version was last
 *   read (or the version is this load's own, from an earlier batch of the same listing);
 * - otherwise it is not applied: it is older, or its read overlapped the stored one's, and which
 *   is newer cannot be told (the next read settles it).
 *
 * What changed is the raw versions above the resource's `lastVersion` from before the merge.
 */
export async function mergeStaged(client: pg.PoolClient, staged: StagedLoad, runId: number): Promise<LoadResult> {
  const { resource } = staged;
  const { name } = resource;
  const statement = appendStatements.get(name) ?? appendStatements.set(name, appendStatement(resource)).get(name)!;
  const { links = [] } = resource;
  const since = await lastVersion(client, name);
  let appended = 0;
  let notApplied = 0;
  for (let merge = 0; merge < staged.merges; merge++) {
    const { rows: incoming } = await client.query<Staged>(
      `SELECT id, content_hash, ${epochMs('read_from')} AS from_ms, ${epochMs('read_until')} AS until_ms
       FROM ${stageTable(name)} WHERE merge = $1`,
      [merge],
    );
    const { rows: stored } = await client.query<Stored>(
      `SELECT id, content_hash, version_id, ${epochMs('last_read_at')} AS last_read_ms FROM ${name} WHERE id = ANY($1::text[])`,
      [incoming.map((d) => d.id)],
    );
    const current = new Map(stored.map((r) => [r.id, r]));
    const apply: string[] = [];
    const replaced: string[] = [];
    const confirmed = { ids: [] as string[], untilMs: [] as number[] };
    for (const document of incoming) {
      const now = current.get(document.id);
      if (!now) apply.push(document.id);
      else if (now.content_hash === document.content_hash) {
        if (now.last_read_ms === null || now.last_read_ms < document.until_ms) {
          confirmed.ids.push(document.id);
          confirmed.untilMs.push(document.until_ms);
        }
      } else if (now.last_read_ms === null || now.last_read_ms < document.from_ms || now.version_id > since) {
        apply.push(document.id);
        replaced.push(document.id);
      } else notApplied += 1;
    }
    if (confirmed.ids.length > 0) {
      await client.query(
        `UPDATE ${name} c SET last_read_at = to_timestamp(u.until_ms / 1000.0)
         FROM unnest($1::text[], $2::float8[]) AS u(id, until_ms) WHERE c.id = u.id`,
        [confirmed.ids, confirmed.untilMs],
      );
    }
    if (apply.length === 0) continue;
    // Launches are the one resource with link tables: launch_unlinks.sql names them.
    if (links.length > 0 && replaced.length > 0) for (const unlink of unlinkStatements) await client.query(unlink, [replaced]);
    const result = await client.query(statement, [merge, apply, runId]);
    appended += result.rowCount ?? 0;
    for (const link of links) {
      const columns = ['launch_id', ...link.columns].join(', ');
      await client.query(
        `INSERT INTO ${link.name} (${columns})
         SELECT ${columns} FROM ${stageTable(link.name)} WHERE merge = $1 AND launch_id = ANY($2::text[])`,
        [merge, apply],
      );
    }
  }

  await recordQuarantine(client, name, runId, staged.quarantine);
  // A bulk load leaves the tables' statistics far behind until autovacuum catches up, and the
  // next ingest or refresh would plan its small lookups as full scans meanwhile.
  if (appended >= BULK_ROWS) await client.query(`ANALYZE ${tablesOf(resource).join(', ')}`);
  return { received: staged.received, appended, quarantined: staged.quarantine.length, ...(notApplied > 0 && { notApplied }) };
}

/** The newest raw version of a resource: versions above it are appended later. */
export async function lastVersion(client: pg.PoolClient, name: Resource['name']): Promise<number> {
  const { rows } = await client.query<{ last: string }>(`SELECT coalesce(max(version_id), 0) AS last FROM raw_${name}`);
  return Number(rows[0].last);
}

/** A timestamp as milliseconds since the epoch: the resolution of the read clock. */
const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

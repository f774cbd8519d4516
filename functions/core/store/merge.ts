import type pg from 'pg';
import type { Resource } from '../source/resources';
import launchUnlinks from '../../../sql/load/launch_unlinks.sql';
import { BULK_ROWS } from './db';
import { recordQuarantine } from './quarantine';
import { rowsOf } from './rows';
import { type StagedLoad, stageTable } from './stage';

/** Each run with the ids of the merge's launches that had an earlier version as $1. */
const unlinkStatements = launchUnlinks.split(/;\s*\n/).filter((statement) => statement.trim());

export interface LoadResult {
  /** Documents received from the source, valid or not. */
  received: number;
  /** Documents whose content changed: one new raw version each. */
  appended: number;
  quarantined: number;
}

/**
 * Appends each staged version as a new raw version, numbered as it commits, and writes its typed
 * rows over the current ones: one INSERT of the raw versions feeding one upsert of the current
 * state, the replaced columns listed from the resource's columns (a column with its own rule,
 * such as the earliest upcoming date, keeps it). Run in merge order.
 */
export function appendStatement(resource: Resource): string {
  const { current } = rowsOf[resource.name];
  const stage = stageTable(resource.name);
  const typed = current.columns;
  const updates = [
    ...typed.map((column) => `${column} = ${current.keep?.[column] ?? `EXCLUDED.${column}`}`),
    'version_id = EXCLUDED.version_id',
    'content_hash = EXCLUDED.content_hash',
    'read_at = EXCLUDED.read_at',
    'updated_at = now()',
  ];
  return `WITH appended AS (
  INSERT INTO raw_${resource.name} (id, content_hash, document, run_id)
  SELECT id, content_hash, document, $3 FROM ${stage} WHERE merge = $1 AND id = ANY($2::text[])
  RETURNING id, version_id
)
INSERT INTO ${current.name} AS c (id, ${typed.join(', ')}, version_id, content_hash, read_at)
SELECT s.id, ${typed.map((column) => `s.${column}`).join(', ')}, a.version_id, s.content_hash, s.read_at
FROM appended a JOIN ${stage} s ON s.merge = $1 AND s.id = a.id
ON CONFLICT (id) DO UPDATE SET
  ${updates.join(',\n  ')}`;
}

const appendStatements = new Map<string, string>();

/**
 * Applies a staged load inside the caller's transaction, which holds the pipeline lock, so the
 * current versions read here cannot change underneath. Views are ordered by when the source was
 * read, not by when they commit: a staged document whose content equals its current version
 * appends nothing (it only records the later read), and one read before its current version was
 * is older than what is stored and is not applied. Every other one becomes a new raw version and
 * the current row. What changed is the raw versions above the resource's `lastVersion` from
 * before the merge.
 */
export async function mergeStaged(client: pg.PoolClient, staged: StagedLoad, runId: number): Promise<LoadResult> {
  const { resource } = staged;
  const { name } = resource;
  const statement = appendStatements.get(name) ?? appendStatements.set(name, appendStatement(resource)).get(name)!;
  const { links = [] } = rowsOf[name];
  let appended = 0;
  for (let merge = 0; merge < staged.merges; merge++) {
    const { rows: incoming } = await client.query<{ id: string; content_hash: string; read_ms: number }>(
      `SELECT id, content_hash, ${epochMs('read_at')} AS read_ms FROM ${stageTable(name)} WHERE merge = $1`,
      [merge],
    );
    const { rows: stored } = await client.query<{ id: string; content_hash: string; read_ms: number | null }>(
      `SELECT id, content_hash, ${epochMs('read_at')} AS read_ms FROM ${name} WHERE id = ANY($1::text[])`,
      [incoming.map((d) => d.id)],
    );
    const current = new Map(stored.map((r) => [r.id, r]));
    const apply: string[] = [];
    const replaced: string[] = [];
    const confirmed = { ids: [] as string[], readMs: [] as number[] };
    for (const document of incoming) {
      const now = current.get(document.id);
      const older = now?.read_ms != null && now.read_ms > document.read_ms;
      if (now?.content_hash === document.content_hash) {
        if (!older) {
          confirmed.ids.push(document.id);
          confirmed.readMs.push(document.read_ms);
        }
      } else if (!older) {
        apply.push(document.id);
        if (now) replaced.push(document.id);
      }
    }
    // The same content read again: its current version is now known to hold until this later read.
    if (confirmed.ids.length > 0) {
      await client.query(
        `UPDATE ${name} c SET read_at = to_timestamp(u.read_ms / 1000.0)
         FROM unnest($1::text[], $2::float8[]) AS u(id, read_ms) WHERE c.id = u.id`,
        [confirmed.ids, confirmed.readMs],
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
        `INSERT INTO ${link.name} (${columns}) SELECT ${columns} FROM ${stageTable(link.name)} WHERE merge = $1 AND launch_id = ANY($2::text[])`,
        [merge, apply],
      );
    }
  }

  await recordQuarantine(client, name, runId, staged.quarantine);
  // A bulk load leaves the tables' statistics far behind until autovacuum catches up, and the
  // next ingest or refresh would plan its small lookups as full scans meanwhile.
  if (appended >= BULK_ROWS) await client.query(`ANALYZE ${tablesOf(resource).join(', ')}`);
  return { received: staged.received, appended, quarantined: staged.quarantine.length };
}

/** A timestamp as milliseconds since the epoch: the resolution of the read clock. */
const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

/** The tables a load of the resource writes: its raw table, its current-state table, its link tables. */
function tablesOf(resource: Resource): string[] {
  const { current, links = [] } = rowsOf[resource.name];
  return [`raw_${resource.name}`, current.name, ...links.map((link) => link.name)];
}

import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Resource } from '../source/resources';
import { describeIssues } from '../source/schemas';
import launchLinks from '../../../sql/load/launch_links.sql';
import { BULK_ROWS } from './db';

export interface LoadResult {
  /** Documents received from the source, valid or not. */
  received: number;
  /** Documents whose content changed: one new raw version each. */
  appended: number;
  quarantined: number;
}

interface QuarantineEntry {
  documentId: string | null;
  reason: string;
  body: string;
}

/**
 * The JSON text of a document as the store keeps it. PostgreSQL text and jsonb cannot hold
 * U+0000, nor an unpaired UTF-16 surrogate (not Unicode at all): either one would abort the
 * whole load. The documented rule: both are stored as U+FFFD, the replacement character.
 * JSON.stringify writes them only as `\u0000` and `\udxxx` escapes (a surrogate escaped only
 * when unpaired); an escaped backslash before such a sequence is text, so it is left alone.
 */
export function storableJson(json: string): string {
  return /\\u(0000|d[89a-f])/i.test(json) ? json.replace(/(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi, '$1\\ufffd') : json;
}

/** COPY text format: JSON text has no raw tabs or newlines, only backslashes to double. */
const copyField = (value: string) => value.replace(/\\/g, '\\\\');

const contentHash = (json: string) => createHash('md5').update(json).digest('hex');

/**
 * Loads every document of `batches` for one resource inside the caller's transaction:
 * valid documents are streamed through COPY into a temporary stage and merged by the
 * resource's load statement; invalid ones go to quarantine with the reason. The ids that
 * changed are left in the temporary table `changed` for the caller.
 */
export async function loadResource(
  client: pg.PoolClient,
  resource: Resource,
  runId: number,
  batches: AsyncIterable<unknown[]> | Iterable<unknown[]>,
): Promise<LoadResult> {
  await client.query(`DROP TABLE IF EXISTS stage, changed;
    CREATE TEMP TABLE stage (ordinal bigint, id text, content_hash text, document jsonb) ON COMMIT DROP;
    CREATE TEMP TABLE changed (id text PRIMARY KEY) ON COMMIT DROP`);

  const quarantine: QuarantineEntry[] = [];
  let received = 0;
  const copy = client.query(copyFrom('COPY stage (ordinal, id, content_hash, document) FROM STDIN'));
  // A COPY whose connection dies (server down, backend killed) says so once, as an 'error' event,
  // possibly while the source is still being read, and never finishes after that. Keep the error
  // (unheard it would crash the process) and fail at the next step instead of waiting forever.
  let failed: Error | undefined;
  copy.on('error', (error: Error) => (failed ??= error));
  const stopIfFailed = () => {
    if (failed) throw failed;
  };
  try {
    for await (const batch of batches) {
      stopIfFailed();
      let chunk = '';
      for (const document of batch) {
        received += 1;
        const json = storableJson(JSON.stringify(document) ?? 'null');
        const checked = resource.schema.safeParse(document);
        if (!checked.success) {
          quarantine.push({ documentId: documentIdOf(document), reason: describeIssues(checked.error), body: json });
          continue;
        }
        const id = (document as { id: string }).id;
        chunk += `${received}\t${id}\t${contentHash(json)}\t${copyField(json)}\n`;
      }
      if (chunk && !copy.write(chunk)) await once(copy, 'drain');
    }
    stopIfFailed();
    copy.end();
    await finished(copy);
  } catch (error) {
    if (!failed) {
      // Abort the COPY so the connection is usable for the rollback.
      copy.destroy(error as Error);
      await finished(copy).catch(() => undefined);
    }
    throw error;
  }

  // The merge joins and groups the whole stage: give the planner its real size, and enough
  // memory to hash it rather than spill (both only for this transaction).
  await client.query("ANALYZE stage; SET LOCAL work_mem = '64MB'");
  await client.query(resource.loadSql, [runId]);
  if (resource.name === 'launches') await client.query(`ANALYZE changed; ${launchLinks}`);
  await recordQuarantine(client, resource.name, runId, quarantine);
  const { rows } = await client.query<{ n: number }>('SELECT count(*)::integer AS n FROM changed');
  const appended = rows[0].n;
  // A bulk load leaves the tables' statistics far behind until autovacuum catches up, and the
  // next ingest or refresh would plan its small lookups as full scans meanwhile.
  if (appended >= BULK_ROWS) await client.query(`ANALYZE ${tablesOf(resource.name).join(', ')}`);
  return { received, appended, quarantined: quarantine.length };
}

function tablesOf(name: Resource['name']): string[] {
  return name === 'launches' ? ['raw_launches', 'launches', 'launch_payloads', 'launch_cores'] : [`raw_${name}`, name];
}

/** One row per distinct body: seeing the same bad document again only bumps its counters. */
async function recordQuarantine(client: pg.PoolClient, entity: string, runId: number, entries: QuarantineEntry[]) {
  if (entries.length === 0) return;
  const distinct = [...new Map(entries.map((e) => [contentHash(e.body), e])).entries()];
  await client.query(
    `INSERT INTO quarantine AS q (entity, document_id, body_hash, reason, body, first_run_id, last_run_id)
     SELECT $1, e.document_id, e.body_hash, e.reason, e.body, $2, $2
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS e(document_id, body_hash, reason, body)
     ON CONFLICT (entity, body_hash) DO UPDATE SET
       last_run_id = EXCLUDED.last_run_id, last_seen_at = now(), times_seen = q.times_seen + 1`,
    [
      entity,
      runId,
      distinct.map(([, e]) => e.documentId),
      distinct.map(([hash]) => hash),
      distinct.map(([, e]) => e.reason),
      distinct.map(([, e]) => e.body),
    ],
  );
}

/** The id a quarantined document claims, as text PostgreSQL can hold (the NUL rule applies here too). */
function documentIdOf(document: unknown): string | null {
  const id = (document as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id.slice(0, 200).replace(/\u0000/g, '\uFFFD') : null;
}

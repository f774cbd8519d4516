import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Resource } from '../source/resources';
import { describeIssues } from '../source/schemas';
import launchUnlinks from '../../../sql/load/launch_unlinks.sql';
import { BULK_ROWS } from './db';
import { copyFields, rowsOf, storableText } from './rows';

/** Each run with the ids of the merge's launches that had an earlier version as $1. */
const unlinkStatements = launchUnlinks.split(/;\s*\n/).filter((statement) => statement.trim());

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
const copyJson = (json: string) => json.replace(/\\/g, '\\\\');

const contentHash = (json: string) => createHash('md5').update(json).digest('hex');

/**
 * Documents per merge. Every this many documents the new versions are appended and merged
 * into the current state: PostgreSQL's merge of one batch overlaps this process fetching and
 * preparing the next, and memory holds one batch, not the history.
 */
export const MERGE_ROWS = 10_000;

/** Source pages prepared ahead while PostgreSQL merges: about one merge's worth. */
const READ_AHEAD_PAGES = 10;

/**
 * Keeps a long load's memory near what it holds alive. A load holds about two merges of
 * documents (~50 MB) but makes several short copies of every document on the way (parsed,
 * validated, serialised); on a large host V8 lets that garbage grow the heap to about four
 * times the live size before collecting it (338 MB peak RSS at 100k launches, measured).
 * Growing it by at most half each time keeps the peak near 200 MB, flat in the size of the
 * history, for some more collector time in this process (PostgreSQL sets the pace of a load,
 * not this process). The setting is process-wide and lasts; it is V8's own, not allowed in
 * NODE_OPTIONS, hence set here.
 */
export function boundHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=50');
}

/** A valid document, ready to append: its content hash and its rows in COPY text format. */
interface Prepared {
  hash: string;
  /** The raw version's line. */
  raw: string;
  /** The current-state row's fields after the id; its version id and hash follow once known. */
  current: string;
  /** The lines of each link table, in the order of the resource's links. */
  links: string[];
}

/**
 * Loads every document of `batches` for one resource inside the caller's transaction (which
 * holds the pipeline lock, so the current hashes read here cannot change underneath). Every
 * MERGE_ROWS documents, the ones whose content differs from their current version are
 * streamed through COPY into the raw table and their typed rows into the current-state tables
 * (see merge); invalid documents go to quarantine with the reason. What changed is the
 * raw versions above the resource's `lastVersion` from before the load.
 */
export async function loadResource(
  client: pg.PoolClient,
  resource: Resource,
  runId: number,
  batches: AsyncIterable<unknown[]> | Iterable<unknown[]>,
): Promise<LoadResult> {
  const rows = rowsOf[resource.name];
  const quarantine: QuarantineEntry[] = [];
  let received = 0;
  let appended = 0;

  async function* prepare(): AsyncGenerator<Map<string, Prepared>> {
    for await (const batch of batches) {
      const page = new Map<string, Prepared>();
      for (const document of batch) {
        received += 1;
        const json = storableJson(JSON.stringify(document) ?? 'null');
        const checked = resource.schema.safeParse(document);
        if (!checked.success) {
          quarantine.push({ documentId: documentIdOf(document), reason: describeIssues(checked.error), body: json });
          continue;
        }
        const valid = checked.data as never;
        const id = (document as { id: string }).id;
        const hash = contentHash(json);
        // A response may list one id twice: the later occurrence wins.
        page.set(id, {
          hash,
          raw: `${id}\t${hash}\t${copyJson(json)}\t${runId}\n`,
          current: copyFields(rows.current.row(valid)),
          links: (rows.links ?? []).map((table) =>
            table
              .rows(valid)
              .map((row) => `${id}\t${copyFields(row)}\n`)
              .join(''),
          ),
        });
      }
      yield page;
    }
  }

  // The stream reads pages ahead (fetch, parse, validate, hash) while a merge runs.
  const pages = Readable.from(prepare(), { objectMode: true, highWaterMark: READ_AHEAD_PAGES });
  try {
    let pending = new Map<string, Prepared>();
    for await (const page of pages as AsyncIterable<Map<string, Prepared>>) {
      for (const [id, prepared] of page) pending.set(id, prepared);
      if (pending.size >= MERGE_ROWS) {
        appended += await merge(client, resource, pending);
        pending = new Map();
      }
    }
    if (pending.size > 0) appended += await merge(client, resource, pending);
  } catch (error) {
    pages.destroy();
    throw error;
  }

  await recordQuarantine(client, resource.name, runId, quarantine);
  // A bulk load leaves the tables' statistics far behind until autovacuum catches up, and the
  // next ingest or refresh would plan its small lookups as full scans meanwhile.
  if (appended >= BULK_ROWS) await client.query(`ANALYZE ${tablesOf(resource.name).join(', ')}`);
  return { received, appended, quarantined: quarantine.length };
}

/** The newest raw version of a resource: versions above it are appended later. */
export async function lastVersion(client: pg.PoolClient, name: Resource['name']): Promise<number> {
  const { rows } = await client.query<{ last: string }>(`SELECT coalesce(max(version_id), 0) AS last FROM raw_${name}`);
  return Number(rows[0].last);
}

/**
 * Appends the documents whose content differs from their current version as new raw
 * versions and writes their typed rows: a document seen for the first time is COPYed
 * straight into the current-state tables; one that had a version goes through the
 * resource's statement in sql/load/, which replaces its row. Returns how many it appended.
 */
async function merge(client: pg.PoolClient, resource: Resource, documents: Map<string, Prepared>): Promise<number> {
  const { name } = resource;
  const current = await client.query<{ id: string; content_hash: string }>(
    `SELECT id, content_hash FROM ${name} WHERE id = ANY($1::text[])`,
    [[...documents.keys()]],
  );
  const replaced = new Set<string>();
  for (const { id, content_hash } of current.rows) {
    if (documents.get(id)?.hash === content_hash) documents.delete(id);
    else if (documents.has(id)) replaced.add(id);
  }
  if (documents.size === 0) return 0;

  await copyRows(
    client,
    `COPY raw_${name} (id, content_hash, document, run_id) FROM STDIN`,
    mapped(documents.values(), (d) => d.raw),
  );
  // The versions the COPY just numbered: the newest ones, as the pipeline lock lets nobody else append.
  const versions = await client.query<{ id: string; version_id: string }>(
    `SELECT id, version_id FROM raw_${name} ORDER BY version_id DESC LIMIT $1`,
    [documents.size],
  );
  const lines = { fresh: [] as string[], replaced: [] as string[] };
  for (const { id, version_id } of versions.rows) {
    const document = documents.get(id);
    if (!document) throw new Error(`raw_${name} gained version ${version_id} of ${id} from outside this load; nothing was committed`);
    (replaced.has(id) ? lines.replaced : lines.fresh).push(`${id}\t${document.current}\t${version_id}\t${document.hash}\n`);
  }

  const { current: table, links = [] } = rowsOf[name];
  const columns = ['id', ...table.columns, 'version_id', 'content_hash'].join(', ');
  if (lines.fresh.length > 0) await copyRows(client, `COPY ${name} (${columns}) FROM STDIN`, lines.fresh);
  if (lines.replaced.length > 0) {
    // Dropped at commit: the stage has the table's shape at the time of the load.
    await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${name}_stage (LIKE ${name} INCLUDING DEFAULTS) ON COMMIT DROP`);
    await copyRows(client, `COPY ${name}_stage (${columns}) FROM STDIN`, lines.replaced);
    await client.query(resource.replaceSql);
    await client.query(`TRUNCATE ${name}_stage`);
  }
  if (links.length > 0) {
    // Launches are the one resource with link tables: launch_unlinks.sql names them.
    if (replaced.size > 0) for (const statement of unlinkStatements) await client.query(statement, [[...replaced]]);
    for (const [i, link] of links.entries()) {
      const linkColumns = ['launch_id', ...link.columns].join(', ');
      await copyRows(
        client,
        `COPY ${link.name} (${linkColumns}) FROM STDIN`,
        mapped(documents.values(), (d) => d.links[i]),
      );
    }
  }
  return documents.size;
}

function* mapped<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}

const COPY_CHUNK_CHARS = 1 << 20;

/** COPY of prepared rows that fails fast, and leaves the connection usable, if anything goes wrong. */
async function copyRows(client: pg.PoolClient, sql: string, lines: Iterable<string>) {
  const copy = client.query(copyFrom(sql));
  // A COPY whose connection dies (server down, backend killed) says so once, as an 'error' event,
  // and never finishes after that. Keep the error (unheard it would crash the process) and fail.
  let failed: Error | undefined;
  copy.on('error', (error: Error) => (failed ??= error));
  try {
    const send = async (chunk: string) => {
      if (failed) throw failed;
      if (!copy.write(chunk)) await once(copy, 'drain');
    };
    // Rows go out in chunks of about a megabyte: one COPY message each, not one per row.
    let chunk = '';
    for (const line of lines) {
      chunk += line;
      if (chunk.length >= COPY_CHUNK_CHARS) {
        await send(chunk);
        chunk = '';
      }
    }
    if (chunk) await send(chunk);
    if (failed) throw failed;
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
}

/** The tables a load of the resource writes: its raw table, its current-state table, its link tables. */
function tablesOf(name: Resource['name']): string[] {
  const { current, links = [] } = rowsOf[name];
  return [`raw_${name}`, current.name, ...links.map((link) => link.name)];
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

/** The id a quarantined document claims, as text PostgreSQL can hold (the storableText rule). */
function documentIdOf(document: unknown): string | null {
  const id = (document as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? storableText(id.slice(0, 200)) : null;
}

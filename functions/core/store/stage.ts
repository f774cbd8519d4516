import { Readable } from 'node:stream';
import type pg from 'pg';
import { describeIssues, type Resource } from '../resources';
import { copyFields, copyJson, copyRows } from './copy';
import { contentHash, documentIdOf, type QuarantineEntry } from './quarantine';
import { storableJson } from './text';

/**
 * Documents of one answer of the source, and when the source was read for them: at some moment
 * between `readFrom` (no earlier) and `readUntil` (no later), on the database's clock.
 */
export interface SourcePage {
  readFrom: Date;
  readUntil: Date;
  documents: unknown[];
}

/** What stageResource left in the run's staging tables, for mergeStaged to apply under the lock. */
export interface StagedLoad {
  resource: Resource;
  /** Documents received from the source, valid or not. */
  received: number;
  /** Merges of up to MERGE_ROWS documents, numbered from 0, each id at most once per merge. */
  merges: number;
  quarantine: QuarantineEntry[];
}

/**
 * Documents per merge. Every this many documents the staged versions are written to the staging
 * tables, and merged later as one batch: memory holds one batch, not the history, and each
 * statement of the merge handles a bounded number of rows.
 */
export const MERGE_ROWS = 10_000;

/** Source pages prepared ahead while the previous batch is written: about one batch's worth. */
const READ_AHEAD_PAGES = 10;

/** A valid document, ready to stage: its content hash and its rows in COPY text format (without the merge number). */
interface Prepared {
  hash: string;
  /** The staged document's fields after its merge number: id, hash, read time, JSON, typed columns. */
  line: string;
  /** The lines of each link table (without the merge number), in the order of the resource's links. */
  links: string[];
}

/** The staging tables of a resource: temporary, so private to the run's connection, and gone with it. */
export const stageTable = (name: string) => `stage_${name}`;

/** The columns of a resource's staged documents, in COPY order. */
export function stagedColumns(resource: Resource): string[] {
  return ['merge', 'id', 'content_hash', 'read_from', 'read_until', 'document', ...resource.current.columns];
}

async function createStage(client: pg.PoolClient, resource: Resource): Promise<void> {
  const { current, links = [] } = resource;
  const stage = stageTable(resource.name);
  // Shaped from the tables themselves, so a staged column always has its table's type. Each id is
  // staged at most once per merge (a Map per batch), which the merge's join relies on.
  await client.query(`DROP TABLE IF EXISTS ${stage};
    CREATE TEMP TABLE ${stage} AS SELECT id, ${current.columns.join(', ')} FROM ${current.name} WITH NO DATA;
    ALTER TABLE ${stage} ADD COLUMN merge integer NOT NULL, ADD COLUMN content_hash text NOT NULL,
      ADD COLUMN read_from timestamptz NOT NULL, ADD COLUMN read_until timestamptz NOT NULL, ADD COLUMN document jsonb NOT NULL;
    CREATE INDEX ON ${stage} (merge)`);
  for (const link of links) {
    const table = stageTable(link.name);
    await client.query(`DROP TABLE IF EXISTS ${table};
      CREATE TEMP TABLE ${table} AS SELECT launch_id, ${link.columns.join(', ')} FROM ${link.name} WITH NO DATA;
      ALTER TABLE ${table} ADD COLUMN merge integer NOT NULL;
      CREATE INDEX ON ${table} (merge)`);
  }
}

/** Drops a resource's staging tables (they would otherwise last as long as the pooled connection). */
export async function dropStage(client: pg.PoolClient, resource: Resource): Promise<void> {
  const { links = [] } = resource;
  const tables = [resource.name, ...links.map((l) => l.name)].map(stageTable);
  await client.query(`DROP TABLE IF EXISTS ${tables.join(', ')}`);
}

/**
 * Validates, hashes and types every document of `pages` and COPYs it into the run's staging
 * tables, with the time its page was read. It takes no lock and opens no transaction of its own,
 * so the source can be as slow as it likes: nothing else waits for it. Invalid documents are kept
 * for quarantine with the reason; they are recorded when the load is merged.
 */
export async function stageResource(
  client: pg.PoolClient,
  resource: Resource,
  pages: AsyncIterable<SourcePage> | Iterable<SourcePage>,
): Promise<StagedLoad> {
  const staged: StagedLoad = { resource, received: 0, merges: 0, quarantine: [] };
  await createStage(client, resource);

  async function* prepare(): AsyncGenerator<Map<string, Prepared>> {
    for await (const { readFrom, readUntil, documents } of pages) {
      const page = new Map<string, Prepared>();
      const read = `${readFrom.toISOString()}\t${readUntil.toISOString()}`;
      for (const document of documents) {
        staged.received += 1;
        const json = storableJson(JSON.stringify(document) ?? 'null');
        const checked = resource.schema.safeParse(document);
        if (!checked.success) {
          staged.quarantine.push({ documentId: documentIdOf(document), reason: describeIssues(checked.error), body: json });
          continue;
        }
        const valid = checked.data as never;
        const id = (document as { id: string }).id;
        const hash = contentHash(json);
        // A response may list one id twice: the later occurrence wins.
        page.set(id, {
          hash,
          line: `${id}\t${hash}\t${read}\t${copyJson(json)}\t${copyFields(resource.current.row(valid, 0))}\n`,
          links: (resource.links ?? []).map((table) =>
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

  const write = async (batch: Map<string, Prepared>) => {
    const merge = staged.merges++;
    const prefixed = function* (lines: Iterable<string>) {
      for (const line of lines) if (line) yield `${merge}\t${line}`;
    };
    const stage = stageTable(resource.name);
    await copyRows(
      client,
      `COPY ${stage} (${stagedColumns(resource).join(', ')}) FROM STDIN`,
      prefixed(mapped(batch.values(), (d) => d.line)),
    );
    for (const [i, link] of (resource.links ?? []).entries()) {
      const columns = ['merge', 'launch_id', ...link.columns].join(', ');
      // A document's link lines are one string of lines: the merge number goes before each.
      const lines = mapped(batch.values(), (d) => d.links[i].replace(/^(?=.)/gm, `${merge}\t`));
      await copyRows(client, `COPY ${stageTable(link.name)} (${columns}) FROM STDIN`, lines);
    }
  };

  // The stream reads pages ahead (fetch, parse, validate, hash) while a batch is written.
  const prepared = Readable.from(prepare(), { objectMode: true, highWaterMark: READ_AHEAD_PAGES });
  try {
    let pending = new Map<string, Prepared>();
    for await (const page of prepared as AsyncIterable<Map<string, Prepared>>) {
      for (const [id, document] of page) pending.set(id, document);
      if (pending.size >= MERGE_ROWS) {
        await write(pending);
        pending = new Map();
      }
    }
    if (pending.size > 0) await write(pending);
  } catch (error) {
    prepared.destroy();
    throw error;
  }
  return staged;
}

function* mapped<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}

/** Bounds of the database's clock at this moment: when the source was read, comparable across runs and hosts. */
export interface ReadClock {
  /** The database's clock shows no earlier than this now. */
  earliest(): Date;
  /** The database's clock shows no later than this now. */
  latest(): Date;
}

/**
 * The database's clock, read once and moved on by this process's monotonic clock. The reading
 * came back some time after it was sent; the clock is known to within that round trip, and both
 * bounds keep it, so two reads compared by them are never put in the wrong order.
 */
export async function readClock(client: pg.PoolClient): Promise<ReadClock> {
  const sent = performance.now();
  const { rows } = await client.query<{ now: Date }>('SELECT clock_timestamp() AS now');
  const received = performance.now();
  const database = rows[0].now.getTime();
  return {
    earliest: () => new Date(database + (performance.now() - received)),
    latest: () => new Date(database + (performance.now() - sent)),
  };
}

import { createHash } from 'node:crypto';
import type pg from 'pg';
import init from '../../../sql/migrations/001_init.sql';
import readPaths from '../../../sql/migrations/002_read_paths.sql';
import siteAggregates from '../../../sql/migrations/003_site_aggregates.sql';
import loadArrays from '../../../sql/migrations/004_load_arrays.sql';
import topPayloadMass from '../../../sql/migrations/005_top_payload_mass.sql';
import rawDocumentStatistics from '../../../sql/migrations/006_raw_document_statistics.sql';
import readOrder from '../../../sql/migrations/007_read_order.sql';
import dropJsonArrays from '../../../sql/migrations/008_drop_json_arrays.sql';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Numbered schema changes, applied in order; a released one is never edited. */
export const migrations: readonly Migration[] = [
  { version: 1, name: '001_init', sql: init },
  { version: 2, name: '002_read_paths', sql: readPaths },
  { version: 3, name: '003_site_aggregates', sql: siteAggregates },
  { version: 4, name: '004_load_arrays', sql: loadArrays },
  { version: 5, name: '005_top_payload_mass', sql: topPayloadMass },
  { version: 6, name: '006_raw_document_statistics', sql: rawDocumentStatistics },
  { version: 7, name: '007_read_order', sql: readOrder },
  { version: 8, name: '008_drop_json_arrays', sql: dropJsonArrays },
];

const checksum = (sql: string) => createHash('sha256').update(sql).digest('hex');

/**
 * Brings the schema up to date. Safe to call from every invocation: a session lock makes
 * concurrent callers wait, and applied versions are skipped. An applied migration whose text
 * changed is refused, since the database would no longer match the files. `list` is the
 * released list by default; a prefix of it builds the schema of an older release (upgrade tests).
 */
export async function migrate(client: pg.PoolClient, list: readonly Migration[] = migrations): Promise<number[]> {
  await client.query("SELECT pg_advisory_lock(hashtext('spacex-pipeline:migrate'))");
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations');
    const applied = new Map(rows.map((r) => [r.version, r.checksum]));
    const done: number[] = [];
    for (const m of list) {
      const known = applied.get(m.version);
      if (known !== undefined) {
        if (known !== checksum(m.sql)) throw new Error(`Migration ${m.name} was edited after it was applied; add a new migration instead.`);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          checksum(m.sql),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      done.push(m.version);
    }
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('spacex-pipeline:migrate'))").catch(() => undefined);
  }
}

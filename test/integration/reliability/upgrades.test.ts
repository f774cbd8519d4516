/**
 * Upgrades: a database created and filled by the first release (schema migration 001 only) is
 * brought up to date by migrate() with the full list; its data stays intact and the pipeline
 * carries on from it. The first release's data is a fixture it produced
 * (test/fixtures/release-1.json: every row of every table, after a backfill and two ingest
 * ticks of a replay source), because today's code may need the newer schema to write at all.
 * Everything else is read from `migrations`, so each migration added later is exercised on that
 * data without touching this file.
 */
import type pg from 'pg';
import { migrate, migrations } from '../../../functions/core/store/migrate';
import { Harness, replayHistory } from '../../helpers/reliability';
import release1 from '../../fixtures/release-1.json';

const fixture = release1 as unknown as {
  source: { launches: number; seed: number; upcoming: number; tick: number; padsTick: number };
  migrations: { version: number; name: string }[];
  tables: Record<string, Record<string, unknown>[]>;
};

/** Public tables (schema_migrations aside) and their columns, in order. */
async function schemaColumns(pool: pg.Pool): Promise<Map<string, string[]>> {
  const { rows } = await pool.query<{ table_name: string; column_name: string }>(`
    SELECT c.table_name, c.column_name FROM information_schema.columns c
    JOIN information_schema.tables t USING (table_schema, table_name)
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'schema_migrations'
    ORDER BY c.table_name, c.ordinal_position`);
  const columns = new Map<string, string[]>();
  for (const r of rows) columns.set(r.table_name, [...(columns.get(r.table_name) ?? []), r.column_name]);
  return columns;
}

/** Every row of the given tables, in the given columns. */
async function contents(pool: pg.Pool, columns: Map<string, string[]>): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const [table, names] of columns) {
    const list = names.map((n) => `"${n}"`).join(', ');
    result[table] = (await pool.query(`SELECT ${list} FROM "${table}" ORDER BY ${names.map((_, n) => n + 1).join(', ')}`)).rows;
  }
  return result;
}

/** Restores the first release's rows, identity counters included, as its database held them. */
async function restoreFirstRelease(client: pg.PoolClient): Promise<void> {
  await client.query('BEGIN');
  for (const [table, rows] of Object.entries(fixture.tables)) {
    await client.query(
      `INSERT INTO "${table}" OVERRIDING SYSTEM VALUE SELECT * FROM jsonb_populate_recordset(NULL::"${table}", $1::jsonb)`,
      [JSON.stringify(rows)],
    );
  }
  const { rows: identities } = await client.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'",
  );
  for (const { table_name: t, column_name: c } of identities) {
    await client.query(`SELECT setval(pg_get_serial_sequence('"${t}"', '${c}'), coalesce((SELECT max("${c}") FROM "${t}"), 0) + 1, false)`);
  }
  await client.query('COMMIT');
}

describe('reliability: upgrades', () => {
  let h: Harness;
  beforeAll(async () => {
    const { launches, seed, upcoming, tick, padsTick } = fixture.source;
    h = await Harness.start({ launches, seed, upcoming });
    h.replay.advance(tick); // the source as the first release last read it
    h.padsTick = padsTick;
  });
  afterAll(async () => h?.close());

  it('the full migration list over a first-release database keeps its data, and the pipeline continues', async () => {
    expect(fixture.migrations.map((m) => m.version)).toEqual([migrations[0].version]);
    const client = await h.db.pool.connect();
    try {
      // The first release's database: its schema, its rows.
      expect(await migrate(client, migrations.slice(0, 1))).toEqual([migrations[0].version]);
      const oldColumns = await schemaColumns(h.db.pool);
      expect([...oldColumns.keys()].sort()).toEqual(Object.keys(fixture.tables).sort());
      for (const [table, rows] of Object.entries(fixture.tables)) {
        for (const row of rows)
          expect({ table, columns: Object.keys(row).sort() }).toEqual({ table, columns: [...oldColumns.get(table)!].sort() });
      }
      await restoreFirstRelease(client);
      expect(Object.values(fixture.tables).every((rows) => rows.length > 0)).toBe(true); // every table has data to keep
      const before = await contents(h.db.pool, oldColumns);
      // The fixture is what the first release made of this source: every invariant holds on it.
      await h.expectInvariants({ history: undefined, rejected: undefined });

      // The current release: every later migration, in order, once.
      expect(await migrate(client)).toEqual(migrations.slice(1).map((m) => m.version));
      expect(await migrate(client)).toEqual([]);
      const { rows: applied } = await h.db.pool.query('SELECT version, name FROM schema_migrations ORDER BY version');
      expect(applied).toEqual(migrations.map(({ version, name }) => ({ version, name })));

      // Every table and column of the first release is still there, holding the same rows.
      const newColumns = await schemaColumns(h.db.pool);
      for (const [table, names] of oldColumns) {
        expect({ table, columns: newColumns.get(table)?.filter((c) => names.includes(c)) }).toEqual({ table, columns: names });
      }
      expect(await contents(h.db.pool, oldColumns)).toEqual(before);
      await h.expectInvariants({ history: undefined, rejected: undefined });
    } finally {
      client.release();
    }

    // Today's code carries on from there: refreshes, follows the source, reloads it whole.
    const from = h.tick;
    await h.aggregate();
    for (let n = 0; n < 2; n++) {
      h.replay.advance(1);
      await h.ingest();
    }
    await h.backfill();
    await h.aggregate({ full: true });
    const history = replayHistory(h.replay.dataset, 0, h.tick);
    await h.expectInvariants({ history, historyMode: 'ordered', rejected: undefined });
    expect(h.tick).toBe(from + 2);
    const { rows: runs } = await h.db.pool.query("SELECT trigger, status FROM pipeline_runs WHERE step <> 'aggregate' ORDER BY run_id");
    expect(runs.map((r) => `${r.trigger}:${r.status}`)).toEqual([
      'release-1:succeeded',
      'release-1:succeeded',
      'release-1:succeeded',
      'test:succeeded',
      'test:succeeded',
      'test:succeeded',
    ]);
  });
});

import { aggregate } from '../../functions/core/pipeline/aggregate';
import { resource, type ResourceName } from '../../functions/core/resources';
import { inTransaction } from '../../functions/core/store/db';
import { loadResource, MERGE_ROWS } from '../helpers/load';
import { migrate } from '../../functions/core/store/migrate';
import { migratedStore } from '../helpers/store';
import { checkAggregates, exactNumeric } from '../helpers/invariants';

const hex = (n: number) => n.toString(16).padStart(24, '0');

function launch(n: number, overrides: Record<string, unknown> = {}) {
  return {
    id: hex(n),
    flight_number: n,
    name: `Flight ${n}`,
    date_utc: `2020-01-${String(n).padStart(2, '0')}T10:00:00.000Z`,
    date_precision: 'hour',
    static_fire_date_utc: null,
    tbd: false,
    net: false,
    window: 0,
    rocket: hex(900),
    launchpad: hex(800),
    success: true,
    upcoming: false,
    details: null,
    fairings: null,
    launch_library_id: null,
    payloads: [hex(100 + n)],
    cores: [
      {
        core: hex(700),
        flight: 1,
        gridfins: true,
        legs: true,
        reused: false,
        landing_attempt: true,
        landing_success: true,
        landing_type: 'ASDS',
        landpad: hex(600),
      },
    ],
    ...overrides,
  };
}

describe('store', () => {
  const store = migratedStore();

  const load = (docs: unknown[], runId = 1) =>
    inTransaction(store.client, () => loadResource(store.client, resource('launches'), runId, [docs]));

  it('migrates idempotently', async () => {
    expect(await migrate(store.client)).toEqual([]);
  });

  it('appends one version per distinct content and nothing for unchanged documents', async () => {
    expect(await load([launch(1), launch(2)])).toEqual({ received: 2, appended: 2, quarantined: 0 });
    expect(await load([launch(1), launch(2)])).toEqual({ received: 2, appended: 0, quarantined: 0 });
    expect(await load([launch(1, { success: false })])).toEqual({ received: 1, appended: 1, quarantined: 0 });
    const { rows } = await store.client.query('SELECT id, count(*)::int AS versions FROM raw_launches GROUP BY id ORDER BY id');
    expect(rows).toEqual([
      { id: hex(1), versions: 2 },
      { id: hex(2), versions: 1 },
    ]);
    const current = await store.client.query('SELECT success, launch_window_s, date_utc FROM launches WHERE id = $1', [hex(1)]);
    expect(current.rows[0]).toEqual({ success: false, launch_window_s: 0, date_utc: new Date('2020-01-01T10:00:00.000Z') });
    const links = await store.client.query('SELECT launch_id, payload_id FROM launch_payloads ORDER BY launch_id');
    expect(links.rows).toEqual([
      { launch_id: hex(1), payload_id: hex(101) },
      { launch_id: hex(2), payload_id: hex(102) },
    ]);
  });

  it('refuses updates, deletes and truncation of raw versions', async () => {
    await expect(store.client.query('UPDATE raw_launches SET run_id = 9')).rejects.toThrow(/append-only/);
    await expect(store.client.query('DELETE FROM raw_launches')).rejects.toThrow(/append-only/);
    await expect(store.client.query('TRUNCATE raw_launches')).rejects.toThrow(/append-only/);
  });

  it('quarantines invalid documents with the reason and keeps the valid ones of the batch', async () => {
    const bad = { ...launch(3), flight_number: 'three', id: 'not-an-id' };
    expect(await load([bad, launch(4)])).toEqual({ received: 2, appended: 1, quarantined: 1 });
    expect(await load([bad])).toEqual({ received: 1, appended: 0, quarantined: 1 });
    const { rows } = await store.client.query('SELECT entity, document_id, reason, times_seen, body FROM quarantine');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ entity: 'launches', document_id: 'not-an-id', times_seen: 2 });
    expect(rows[0].reason).toMatch(/id: must be 24 lowercase hex/);
    expect(rows[0].reason).toMatch(/flight_number/);
    expect(JSON.parse(rows[0].body)).toEqual(bad);
  });

  it('stores hostile text verbatim and NUL as U+FFFD', async () => {
    const name = `O'Brien "quoted" \\ back\\slash '); DROP TABLE launches;-- 🚀 שלום \u0000 end`;
    expect((await load([launch(5, { name, details: 'tab\tnew\nline' })])).appended).toBe(1);
    const { rows } = await store.client.query('SELECT name, details FROM launches WHERE id = $1', [hex(5)]);
    expect(rows[0]).toEqual({ name: name.replace('\u0000', '\uFFFD'), details: 'tab\tnew\nline' });
  });

  it('keeps the last of duplicate ids within one response', async () => {
    expect((await load([launch(6, { name: 'first' }), launch(6, { name: 'second' })])).appended).toBe(1);
    const { rows } = await store.client.query('SELECT name FROM launches WHERE id = $1', [hex(6)]);
    expect(rows[0].name).toBe('second');
  });

  it('loads a listing of several merge batches: each document once, links for all, a later change as a new version', async () => {
    const first = 100_000;
    const total = Math.round(MERGE_ROWS * 2.5);
    const many = (n: number, name?: string) => launch(n, { date_utc: '2021-03-04T10:00:00.000Z', ...(name && { name }) });
    const pages: unknown[][] = [];
    for (let i = 0; i < total; i += 1000) pages.push(Array.from({ length: Math.min(1000, total - i) }, (_, k) => many(first + i + k)));
    // In the last batch: ten documents of the first batch again, five of them changed.
    pages.push([
      ...Array.from({ length: 5 }, (_, k) => many(first + k)),
      ...Array.from({ length: 5 }, (_, k) => many(first + 5 + k, 'renamed')),
    ]);

    const result = await inTransaction(store.client, () => loadResource(store.client, resource('launches'), 3, pages));
    expect(result).toEqual({ received: total + 10, appended: total + 5, quarantined: 0 });
    const { rows } = await store.client.query(
      `SELECT (SELECT count(*)::int FROM launches WHERE flight_number >= $1) AS launches,
              (SELECT count(*)::int FROM raw_launches WHERE run_id = 3) AS versions,
              (SELECT count(*)::int FROM launch_payloads WHERE launch_id >= $2) AS payload_links,
              (SELECT count(*)::int FROM launch_cores WHERE launch_id >= $2) AS core_links,
              (SELECT count(*)::int FROM launches WHERE name = 'renamed') AS renamed`,
      [first, hex(first)],
    );
    expect(rows[0]).toEqual({ launches: total, versions: total + 5, payload_links: total, core_links: total, renamed: 5 });
  });

  it('types the rows of every resource alike whether first seen (COPY) or replaced (stage and sql/load/)', async () => {
    const docs = {
      payloads: (name: string) => ({
        id: hex(50),
        name,
        type: 'Satellite',
        reused: false,
        launch: hex(51),
        customers: ['a "quoted", name', 'back\\slash', '{braces}', 'NULL', 'tab\there', ''],
        nationalities: null,
        norad_ids: [44235, 2147483647],
        mass_kg: 1234.5678,
        mass_lbs: 1e-7,
        orbit: 'LEO',
      }),
      launchpads: (name: string) => ({
        id: hex(52),
        name,
        latitude: 28.5618571,
        longitude: -80.577366,
        launch_attempts: 3,
        rockets: [hex(53)],
        details: 'line\nbreak\r',
      }),
      landpads: (name: string) => ({ id: hex(54), name, type: 'ASDS', latitude: null, landing_successes: 0 }),
      rockets: (name: string) => ({
        id: hex(55),
        name,
        active: true,
        stages: 2,
        cost_per_launch: 50_000_000,
        success_rate_pct: 97.5,
        first_flight: '2010-06-04',
        height: { meters: 70 },
        diameter: null,
        mass: { kg: 549054 },
      }),
    };
    const expected = {
      payloads: (name: string) => ({
        name,
        type: 'Satellite',
        reused: false,
        launch_id: hex(51),
        customers: ['a "quoted", name', 'back\\slash', '{braces}', 'NULL', 'tab\there', ''],
        nationalities: null,
        manufacturers: null,
        norad_ids: [44235, 2147483647],
        mass_kg: '1234.568',
        mass_lbs: '0.000',
        orbit: 'LEO',
      }),
      launchpads: (name: string) => ({
        name,
        full_name: null,
        latitude: 28.5618571,
        longitude: -80.577366,
        launch_attempts: 3,
        rocket_ids: [hex(53)],
        details: 'line\nbreak\r',
      }),
      landpads: (name: string) => ({ name, type: 'ASDS', latitude: null, landing_successes: 0 }),
      rockets: (name: string) => ({
        name,
        active: true,
        stages: 2,
        cost_per_launch: 50_000_000,
        success_rate_pct: '97.50',
        first_flight: '2010-06-04',
        height_m: '70.00',
        diameter_m: null,
        mass_kg: '549054.000',
      }),
    };
    for (const name of Object.keys(docs) as (keyof typeof docs)[]) {
      const columns = Object.keys(expected[name]('x')).map((c) => (c === 'first_flight' ? `${c}::text` : c));
      const row = async () => {
        const { rows } = await store.client.query(
          `SELECT ${columns.join(', ')}, c.version_id = (SELECT max(version_id) FROM raw_${name}) AS latest FROM ${name} c WHERE id = $1`,
          [docs[name]('x').id],
        );
        return rows[0];
      };
      for (const version of ['first', 'second']) {
        await inTransaction(store.client, () => loadResource(store.client, resource(name), 4, [[docs[name](version)]]));
        expect(await row()).toEqual({ ...expected[name](version), latest: true });
      }
    }
  });

  it('keeps the earliest date a launch was announced for while upcoming, across versions', async () => {
    const slipping = (date_utc: string, upcoming: boolean) => launch(8, { date_utc, upcoming, success: upcoming ? null : true });
    const baseline = async () =>
      (await store.client.query(`SELECT earliest_upcoming_date_utc AS d FROM launches WHERE id = $1`, [hex(8)])).rows[0].d.toISOString();
    await load([slipping('2021-05-10T10:00:00.000Z', true)]);
    expect(await baseline()).toBe('2021-05-10T10:00:00.000Z');
    await load([slipping('2021-05-20T10:00:00.000Z', true)]);
    await load([slipping('2021-05-21T10:00:00.000Z', false)]);
    expect(await baseline()).toBe('2021-05-10T10:00:00.000Z');
  });

  it('rolls back everything when a load fails half-way', async () => {
    async function* failing() {
      yield [launch(7)];
      throw new Error('source died');
    }
    await expect(inTransaction(store.client, () => loadResource(store.client, resource('launches'), 1, failing()))).rejects.toThrow(
      'source died',
    );
    const { rows } = await store.client.query('SELECT count(*)::int AS n FROM raw_launches WHERE id = $1', [hex(7)]);
    expect(rows[0].n).toBe(0);
  });
});

describe('aggregates by launch site (analytics question 4)', () => {
  const store = migratedStore();
  let runId = 100;
  const padA = hex(801);
  const padB = hex(802);
  const padC = hex(803);

  const load = (name: ResourceName, docs: unknown[]) =>
    inTransaction(store.client, () => loadResource(store.client, resource(name), ++runId, [docs]));
  const payload = (n: number, mass_kg: number | null) => ({ id: hex(100 + n), name: `Payload ${n}`, mass_kg });
  const refresh = async () => {
    expect((await aggregate({ pool: store.db.pool, databaseUrl: store.db.url }, 'test')).status).toBe('succeeded');
    // The table equals recompute.sql and the JS computation over the stored documents.
    expect(await checkAggregates(store.db.pool)).toEqual([]);
  };
  const sites = async () =>
    Object.fromEntries(
      (
        await store.db.pool.query(
          'SELECT launchpad_id, total_launches, payload_mass_kg_sum, launches_with_payload_mass FROM launch_aggregates_by_site',
        )
      ).rows.map((r) => [r.launchpad_id, [r.total_launches, exactNumeric(r.payload_mass_kg_sum), r.launches_with_payload_mass]]),
    );

  it('counts past launches per launchpad with the sums behind the average payload mass', async () => {
    await load('payloads', [payload(1, 1000.5), payload(2, 250), payload(3, null), payload(4, 4000), payload(5, 700)]);
    await load('launches', [
      launch(1, { launchpad: padA, payloads: [hex(101), hex(102), hex(101)] }), // 1250.5 (a payload listed twice counts once)
      launch(2, { launchpad: padA, payloads: [hex(103)] }), // no known mass
      launch(3, { launchpad: padB, payloads: [hex(104)] }), // 4000
      launch(4, { launchpad: padB, payloads: [hex(105)], upcoming: true, success: null }), // not past: no site counts it
      launch(5, { launchpad: null, payloads: [] }), // no launchpad: no site
    ]);
    await refresh();
    expect(await sites()).toEqual({ [padA]: [2, '1250.5', 1], [padB]: [1, '4000', 1] });
  });

  it('moves a launch that changes launchpad from the old pad to the new one', async () => {
    await load('launches', [launch(1, { launchpad: padB, payloads: [hex(101), hex(102), hex(101)] })]);
    await refresh();
    expect(await sites()).toEqual({ [padA]: [1, '0', 0], [padB]: [2, '5250.5', 2] });
    // To a pad nothing launched from yet, and its payload's mass changes in the same refresh.
    await load('launches', [launch(3, { launchpad: padC, payloads: [hex(104)] })]);
    await load('payloads', [payload(4, 4100)]);
    await refresh();
    expect(await sites()).toEqual({ [padA]: [1, '0', 0], [padB]: [1, '1250.5', 1], [padC]: [1, '4100', 1] });
  });

  it('takes a launch that is no longer past off its pad, and counts one that flew', async () => {
    // Launch 2 (pad A's only launch) is upcoming again: pad A has no past launch left.
    await load('launches', [launch(2, { launchpad: padA, payloads: [hex(103)], upcoming: true, success: null })]);
    await refresh();
    expect(await sites()).toEqual({ [padB]: [1, '1250.5', 1], [padC]: [1, '4100', 1] });
    // Launch 4 flies, from another pad than the one it was announced at.
    await load('launches', [launch(4, { launchpad: padA, payloads: [hex(105)] })]);
    await refresh();
    expect(await sites()).toEqual({ [padA]: [1, '700', 1], [padB]: [1, '1250.5', 1], [padC]: [1, '4100', 1] });
    // A launch losing its launchpad leaves its site.
    await load('launches', [launch(1, { launchpad: null, payloads: [hex(101), hex(102), hex(101)] })]);
    await refresh();
    expect(await sites()).toEqual({ [padA]: [1, '700', 1], [padC]: [1, '4100', 1] });
  });

  it('rebuilds the same table from scratch (aggregate --full)', async () => {
    const before = await sites();
    expect((await aggregate({ pool: store.db.pool, databaseUrl: store.db.url }, 'test', { full: true })).status).toBe('succeeded');
    expect(await checkAggregates(store.db.pool)).toEqual([]);
    expect(await sites()).toEqual(before);
  });
});

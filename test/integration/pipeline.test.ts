import { aggregate, refreshAggregates } from '../../functions/core/pipeline/aggregate';
import { backfill } from '../../functions/core/pipeline/backfill';
import { closePipeline, createPipeline, type Pipeline } from '../../functions/core/pipeline/context';
import { ingest } from '../../functions/core/pipeline/ingest';
import { RunFailed } from '../../functions/core/pipeline/run';
import { startReplayServer } from '../../infra/local/spacex-api/server';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { expectedAggregates, expectMeasures, expectSites, type LaunchDoc } from '../helpers/expected';
import { MEASURES as MEASURE_LIST, SITE_MEASURES } from '../../functions/core/pipeline/aggregate';
import { RAW_TABLES } from '../../functions/core/resources';
import { exactNumeric, recomputeAggregates } from '../helpers/invariants';

const MEASURES = MEASURE_LIST.join(', ');

describe('pipeline: backfill, ingest and aggregate against the replay source', () => {
  let db: TestDatabase;
  let replay: Awaited<ReturnType<typeof startReplayServer>>;
  let pipeline: Pipeline;
  /** The launch lists the pipeline has seen, one per backfill/ingest tick. */
  const observations: LaunchDoc[][] = [];
  const observe = () => observations.push([...replay.dataset.launches()] as unknown as LaunchDoc[]);

  beforeAll(async () => {
    db = await createTestDatabase();
    replay = await startReplayServer({ port: 0, launches: 300, seed: 7, tickSeconds: 0 });
    pipeline = createPipeline(
      { DATABASE_URL: db.url, SPACEX_API_URL: replay.url, SPACEX_API_PAGE_SIZE: '64', SPACEX_API_RETRIES: '4' },
      { announce: refreshAggregates('test') },
    );
  });
  afterAll(async () => {
    await closePipeline(pipeline);
    await replay.close();
    await db.drop();
  });

  const count = async (table: string) => (await db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
  const rawCounts = async () => Object.fromEntries(await Promise.all(RAW_TABLES.map(async (t) => [t, await count(t)])));
  const overall = async () => (await db.pool.query(`SELECT ${MEASURES} FROM launch_aggregates`)).rows[0];
  const byYear = async () => (await db.pool.query(`SELECT year, ${MEASURES} FROM launch_aggregates_by_year ORDER BY year`)).rows;
  /** launch_aggregates_by_site, ordered as recompute.sql orders it, sums in exact text. */
  const bySite = async () =>
    (
      await db.pool.query(
        `SELECT launchpad_id, ${SITE_MEASURES.join(', ')} FROM launch_aggregates_by_site ORDER BY launchpad_id COLLATE "C"`,
      )
    ).rows.map((r) => ({ ...r, payload_mass_kg_sum: exactNumeric(r.payload_mass_kg_sum) }));
  const payloads = () => Array.from({ length: replay.dataset.payloadCount }, (_, k) => replay.dataset.payload(k));

  async function expectAggregatesMatchSource() {
    const expected = expectedAggregates(observations, payloads());
    expectMeasures(await overall(), expected.overall);
    const years = await byYear();
    expect(years.map((y) => y.year)).toEqual([...expected.byYear.keys()].sort());
    for (const row of years) expectMeasures(row, expected.byYear.get(row.year)!);
    expectSites(await bySite(), expected.bySite);
  }

  async function expectIncrementalEqualsRecompute() {
    const { overall: total, byYear: years, bySite: sites } = await recomputeAggregates(db.pool);
    expect(await overall()).toEqual(Object.fromEntries(Object.entries(total).filter(([k]) => k !== 'year')));
    expect(await byYear()).toEqual(years);
    expect(await bySite()).toEqual(sites.map((r) => ({ ...r, payload_mass_kg_sum: exactNumeric(r.payload_mass_kg_sum) })));
  }

  it('backfills every resource and computes the aggregates from the source documents', async () => {
    observe();
    const run = await backfill(pipeline, 'test');
    expect(run.status).toBe('succeeded');
    expect(await rawCounts()).toEqual({
      raw_launches: 300,
      raw_payloads: replay.dataset.payloadCount,
      raw_launchpads: replay.dataset.launchpads().length,
      raw_landpads: replay.dataset.landpads().length,
      raw_rockets: replay.dataset.rockets().length,
    });
    expect(await count('launch_payloads')).toBe(replay.dataset.payloadCount);
    await expectAggregatesMatchSource();
    await expectIncrementalEqualsRecompute();
  });

  it('appends nothing on a second backfill or on ingests of an unchanged source', async () => {
    const before = await rawCounts();
    const aggregates = await overall();
    const again = await backfill(pipeline, 'test');
    expect(
      Object.values(again.counts)
        .filter((c) => typeof c === 'object')
        .map((c) => (c as { appended: number }).appended),
    ).toEqual([0, 0, 0, 0, 0]);
    for (let i = 0; i < 10; i++) expect((await ingest(pipeline, 'test')).changedLaunchIds).toEqual([]);
    expect(await rawCounts()).toEqual(before);
    expect(await overall()).toEqual(aggregates);
    const runs = await db.pool.query("SELECT status, count(*)::int AS n FROM pipeline_runs WHERE step = 'ingest' GROUP BY status");
    expect(runs.rows).toEqual([{ status: 'succeeded', n: 10 }]);
  });

  it('follows the live source tick by tick: flights, slips and the delay they cause', async () => {
    for (let tick = 0; tick < 4; tick++) {
      replay.advance(1);
      observe();
      const run = await ingest(pipeline, 'test');
      expect(run.changedLaunchIds.length).toBeGreaterThan(0);
      await expectAggregatesMatchSource();
    }
    await expectIncrementalEqualsRecompute();
    // The launches that flew during these ticks were seen upcoming: their slip is measured
    // from the earliest date seen while upcoming to the date they flew.
    const { dataset } = replay;
    const flown = dataset.launch(dataset.latestIndex());
    const earliest = Math.min(
      ...observations.flatMap((o) => o.filter((l) => l.id === flown.id && l.upcoming).map((l) => Date.parse(l.date_utc))),
    );
    const { rows } = await db.pool.query('SELECT delay_seconds::float8 AS s FROM launch_facts WHERE launch_id = $1', [flown.id]);
    expect(rows[0].s).toBe((Date.parse(flown.date_utc) - earliest) / 1000);
  });

  it('rebuilds to the same aggregates from scratch', async () => {
    const incremental = await byYear();
    const sites = await bySite();
    expect(sites.length).toBeGreaterThan(0);
    await aggregate(pipeline, 'test', { full: true });
    expect(await byYear()).toEqual(incremental);
    expect(await bySite()).toEqual(sites);
  });

  it('retries 503 bursts and 429 with Retry-After', async () => {
    replay.advance(1);
    observe();
    replay.setFaults([
      { match: '/v5/launches/latest', status: 503, times: 2 },
      { match: '/v5/launches/upcoming', status: 429, retryAfter: 1, times: 1 },
    ]);
    const run = await ingest(pipeline, 'test');
    expect(run.status).toBe('succeeded');
    await expectAggregatesMatchSource();
  });

  it('fails cleanly, naming the URL, when the API is unreachable, and writes nothing', async () => {
    const before = await rawCounts();
    const offline = createPipeline({ DATABASE_URL: db.url, SPACEX_API_URL: 'http://127.0.0.1:9', SPACEX_API_RETRIES: '1' });
    try {
      const failure = await ingest(offline, 'test').catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(RunFailed);
      expect((failure as Error).message).toContain('http://127.0.0.1:9/v5/launches');
    } finally {
      await closePipeline(offline);
    }
    expect(await rawCounts()).toEqual(before);
    const { rows } = await db.pool.query('SELECT status, error FROM pipeline_runs ORDER BY run_id DESC LIMIT 1');
    expect(rows[0].status).toBe('failed');
    expect(rows[0].error).toContain('127.0.0.1:9');
  });
});

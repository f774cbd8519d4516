/**
 * The aggregate Lambda handler and its launches.changed events: delivered many times, late, out
 * of order, all at once, or for a run that failed, the aggregates stay equal to the
 * recomputation from scratch and nothing is counted twice. The handler refreshes from its
 * watermark, not from the event's contents, which is what these cases hold it to.
 */
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { handler } from '../../../functions/aggregate';
import type { LaunchesChanged } from '../../../functions/core/events/publish';
import { lambdaDatabase } from '../../../functions/lambda/database';
import type { ResourceName } from '../../../functions/core/resources';
import type { RunSummary } from '../../../functions/core/store/runs';
import { Harness } from '../../helpers/reliability';

const BEFORE_LAUNCHES: ResourceName[] = ['rockets', 'launchpads', 'landpads', 'payloads'];

function launchesChanged(detail: LaunchesChanged): EventBridgeEvent<'launches.changed', LaunchesChanged> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'launches.changed',
    source: 'spacex-pipeline',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

const eventFor = (run: RunSummary) => launchesChanged({ runId: run.runId, step: run.step, changedLaunchIds: run.changedLaunchIds });
const touched = (run: RunSummary) => run.counts.touchedLaunches as number;

describe('reliability: launches.changed events', () => {
  let h: Harness;
  const saved = { DATABASE_URL: process.env.DATABASE_URL, DATABASE_URL_SSM_PARAMETER: process.env.DATABASE_URL_SSM_PARAMETER };

  beforeAll(async () => {
    // Loading runs do not refresh the aggregates here: only the events below do, as on AWS.
    h = await Harness.start({ launches: 100, upcoming: 15, announce: false });
    process.env.DATABASE_URL = h.db.url; // what the handler's container reads
    delete process.env.DATABASE_URL_SSM_PARAMETER;
  });
  afterAll(async () => {
    await (await lambdaDatabase()).pool.end();
    await h?.close();
    Object.assign(process.env, saved);
    if (saved.DATABASE_URL === undefined) delete process.env.DATABASE_URL;
    if (saved.DATABASE_URL_SSM_PARAMETER === undefined) delete process.env.DATABASE_URL_SSM_PARAMETER;
  });
  afterEach(() => h.replay.clearFaults());

  /** Everything the aggregate step writes, timestamps included: "changes nothing" means this. */
  const aggregateTables = async () => {
    const q = async (sql: string) => (await h.db.pool.query(sql)).rows;
    return {
      overall: await q('SELECT * FROM launch_aggregates'),
      byYear: await q('SELECT * FROM launch_aggregates_by_year ORDER BY year'),
      bySite: await q('SELECT * FROM launch_aggregates_by_site ORDER BY launchpad_id'),
      facts: await q('SELECT * FROM launch_facts ORDER BY launch_id'),
      state: await q('SELECT * FROM aggregate_state ORDER BY entity'),
    };
  };

  it('the same event delivered 10 times: applied once, the other nine change nothing', async () => {
    const run = await h.backfill();
    await h.expectInvariants({ aggregatesBehind: true });
    const event = eventFor(run);
    const first = await handler(event);
    expect(touched(first)).toBe(100);
    const after = await aggregateTables();
    await h.expectInvariants();
    for (let n = 0; n < 9; n++) {
      expect(touched(await handler(event))).toBe(0);
      expect(await aggregateTables()).toEqual(after);
    }
    await h.expectInvariants();
  });

  it('events out of order, late, for unknown runs or naming other launches: the watermark decides', async () => {
    h.replay.advance(1);
    const older = await h.ingest();
    h.replay.advance(1);
    const newer = await h.ingest();
    expect(older.changedLaunchIds.length).toBeGreaterThan(0);
    expect(newer.changedLaunchIds.length).toBeGreaterThan(0);

    // The newer run's event arrives first: it brings everything up to date, older changes too.
    expect(touched(await handler(eventFor(newer)))).toBeGreaterThan(0);
    await h.expectInvariants();
    const after = await aggregateTables();
    for (const late of [
      eventFor(older),
      eventFor(newer),
      launchesChanged({ runId: 999_999, step: 'ingest', changedLaunchIds: [] }),
      launchesChanged({
        runId: older.runId,
        step: 'backfill',
        changedLaunchIds: [h.replay.dataset.launchId(0), 'ffffffffffffffffffffffff', 'not-an-id'],
      }),
    ]) {
      expect(touched(await handler(late))).toBe(0);
      expect(await aggregateTables()).toEqual(after);
    }
    expect(touched(await handler({}))).toBe(0); // a direct invocation without an event
    expect(await aggregateTables()).toEqual(after);
    await h.expectInvariants();
  });

  it('ten deliveries at once: one refresh does the work, nothing is counted twice', async () => {
    h.replay.advance(1);
    const run = await h.ingest();
    const results = await Promise.all(Array.from({ length: 10 }, () => handler(eventFor(run))));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill('succeeded'));
    expect(results.filter((r) => touched(r) > 0)).toHaveLength(1);
    await h.expectInvariants();
  });

  it('an event for a run that failed: what it committed is reflected, nothing else, nothing twice', async () => {
    // An ingest that failed before writing anything.
    h.replay.advance(1);
    h.replay.setFaults([{ match: '/v5/launches/upcoming', status: 503, times: 100 }]);
    const nothing = await h.failing('ingest');
    h.replay.clearFaults();
    const before = await aggregateTables();
    expect(touched(await handler(eventFor(nothing.summary)))).toBe(0);
    expect(await aggregateTables()).toEqual(before);
    await h.expectInvariants({ documents: h.documents({ launches: [...h.replay.dataset.launches(h.tick - 1)] }) });

    // A backfill that committed new payload versions, then failed on the launches.
    const tick = h.tick - 1;
    h.replay.setFaults([
      { match: '/v4/payloads/query', hostile: true, times: 100 },
      { match: '/v5/launches/query', status: 503, times: 100 },
    ]);
    const partial = await h.failing('backfill', BEFORE_LAUNCHES);
    h.replay.clearFaults();
    expect((partial.summary.counts as Record<string, unknown>).payloads).toBeUndefined(); // the summary of the failure...
    const { rows } = await h.db.pool.query('SELECT counts FROM pipeline_runs WHERE run_id = $1', [partial.summary.runId]);
    expect(rows[0].counts.payloads.appended).toBeGreaterThan(0); // ...but the record tells what it committed
    const servedPayloads = [...h.recorder.lastServed.get('payloads')!.values()];
    const documents = h.documents({ launches: [...h.replay.dataset.launches(tick)], payloads: servedPayloads });
    await h.expectInvariants({ documents, aggregatesBehind: true });
    const event = eventFor(partial.summary);
    expect(touched(await handler(event))).toBeGreaterThan(0);
    await h.expectInvariants({ documents });
    const after = await aggregateTables();
    expect(touched(await handler(event))).toBe(0);
    expect(await aggregateTables()).toEqual(after);

    // The next backfill and its event catch everything up.
    const next = await h.backfill();
    await handler(eventFor(next));
    await h.expectInvariants();
  });

  it('a full rebuild gives the tables the events built incrementally', async () => {
    const incremental = await aggregateTables();
    const strip = (t: typeof incremental) => ({
      overall: t.overall.map(({ updated_at: _u, ...rest }) => rest),
      byYear: t.byYear.map(({ updated_at: _u, ...rest }) => rest),
      facts: t.facts,
      state: t.state,
    });
    await h.aggregate({ full: true });
    expect(strip(await aggregateTables())).toEqual(strip(incremental));
    await h.expectInvariants();
  });
});

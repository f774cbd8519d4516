/**
 * No lock across the network: with the API answering in 3 s per request, the loading steps read
 * it with no lock held, so an aggregate started meanwhile does not wait for them, and the
 * pipeline lock is only ever held to compare and write. The hold time is measured two ways: the
 * `lockMs` each run records, and sampling pg_locks from outside while the runs go on.
 */
import type pg from 'pg';
import { aggregate } from '../../../functions/core/pipeline/aggregate';
import { backfill } from '../../../functions/core/pipeline/backfill';
import { ingest } from '../../../functions/core/pipeline/ingest';
import { runs } from '../../helpers/invariants';
import { Harness, replayHistory } from '../../helpers/reliability';

const SLOW_MS = 3000;

/** Samples who holds the pipeline lock every 20 ms; `stop` returns the longest hold seen, in ms. */
function sampleLockHolds(pool: pg.Pool): { stop: () => Promise<number> } {
  const seen = new Map<string, { first: number; last: number }>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await pool.query<{ tx: string }>(
        `SELECT virtualtransaction AS tx FROM pg_locks
         WHERE locktype = 'advisory' AND granted AND objsubid = 1
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND ((classid::bigint << 32) | objid::bigint) = hashtext('spacex-pipeline')::bigint`,
      );
      const now = performance.now();
      for (const { tx } of rows) {
        const hold = seen.get(tx);
        if (hold) hold.last = now;
        else seen.set(tx, { first: now, last: now });
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return Math.max(0, ...[...seen.values()].map((h) => h.last - h.first));
    },
  };
}

/** Settles when `run` does, with when it finished. */
const finishedAt = async <T>(run: Promise<T>) => ({ value: await run, at: performance.now() });

/**
 * The longest hold of the runs from `firstRunId` on, as they recorded it and as sampled, stays
 * under a second; then, the API fast again, one more ingest leaves the store as the source's
 * history says.
 */
async function expectBriefHoldsThenConsistent(h: Harness, what: string, firstRunId: number, sampledMs: number): Promise<void> {
  const recorded = (await runs(h.db.pool)).filter((r) => r.run_id >= firstRunId).map((r) => Number(r.counts.lockMs ?? 0));
  const recordedMs = Math.max(...recorded);
  console.log(`lock hold, 3 s API, ${what}: recorded max ${recordedMs} ms, sampled max ${Math.round(sampledMs)} ms`);
  expect(recordedMs).toBeLessThan(1000);
  expect(sampledMs).toBeLessThan(1000);

  h.replay.clearFaults();
  await h.ingest();
  const history = replayHistory(h.replay.dataset, 0, h.tick); // every tick since the first backfill
  expect(await h.violations({ history, historyMode: 'ordered', rejected: undefined })).toEqual([]);
}

describe('reliability: no lock held across the network', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ launches: 120, upcoming: 12, env: { SPACEX_API_TIMEOUT_MS: '20000', SPACEX_API_PAGE_SIZE: '60' } });
    await h.backfill();
    await h.expectInvariants();
  });
  afterAll(async () => h?.close());
  afterEach(() => h.replay.clearFaults());

  it('an aggregate and an ingest complete while another ingest waits on a slow API; the lock is held briefly', async () => {
    h.replay.advance(1);
    h.replay.setFaults([{ latencyMs: SLOW_MS, times: 1000 }]);
    const sampler = sampleLockHolds(h.db.pool);
    const slow = finishedAt(ingest(h.pipeline, 'slow'));
    // The slow ingest is now waiting for the API's first answer.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    const refreshed = await finishedAt(aggregate(h.pipeline, 'during-ingest'));
    const aggregateMs = refreshed.at - started;
    const second = finishedAt(ingest(h.pipeline, 'concurrent'));
    const [first, other] = await Promise.all([slow, second]);
    const sampledMs = await sampler.stop();
    h.recorder.discard(); // two runs at once: the history below is the source's, by tick

    expect([first.value.status, other.value.status, refreshed.value.status]).toEqual(['succeeded', 'succeeded', 'succeeded']);
    // The aggregate did not queue behind the ingest's reads: it finished first, in well under one API answer.
    expect(refreshed.at).toBeLessThan(first.at);
    expect(aggregateMs).toBeLessThan(SLOW_MS);
    await expectBriefHoldsThenConsistent(h, 'ingest + aggregate', first.value.runId, sampledMs);
  }, 60_000);

  it('a backfill paging a slow API holds the lock only to merge each resource; ingest and aggregate run meanwhile', async () => {
    h.replay.advance(1);
    h.padsTick = h.tick; // the pads the backfill below reads
    h.replay.setFaults([{ match: '/v5/launches/query', latencyMs: SLOW_MS, times: 1000 }]);
    const sampler = sampleLockHolds(h.db.pool);
    const slow = finishedAt(backfill(h.pipeline, 'slow'));
    await new Promise((resolve) => setTimeout(resolve, 1000)); // paging the launches by now
    const started = performance.now();
    const refreshed = await finishedAt(aggregate(h.pipeline, 'during-backfill'));
    const aggregateMs = refreshed.at - started;
    const ingested = await finishedAt(ingest(h.pipeline, 'during-backfill'));
    const done = await slow;
    const sampledMs = await sampler.stop();
    h.recorder.discard();

    expect([done.value.status, ingested.value.status, refreshed.value.status]).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(refreshed.at).toBeLessThan(done.at);
    expect(aggregateMs).toBeLessThan(SLOW_MS);
    await expectBriefHoldsThenConsistent(h, 'backfill + ingest + aggregate', done.value.runId, sampledMs);
  }, 90_000);

  it('a run that cannot get the lock in PIPELINE_LOCK_WAIT_MS says who holds it and writes nothing', async () => {
    const holder = await h.db.pool.connect();
    try {
      await holder.query("BEGIN; SELECT pg_advisory_xact_lock(hashtext('spacex-pipeline'))");
      const bounded = { ...h.pipeline, bounds: { ...h.pipeline.bounds!, lockWaitMs: 300 } };
      const before = await h.count('SELECT count(*) FROM raw_launches');
      h.replay.advance(1);
      const failure = await ingest(bounded, 'waits').catch((error: Error) => error);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toMatch(/Gave up waiting for the pipeline lock after 300 ms \(PIPELINE_LOCK_WAIT_MS\)/);
      expect((failure as Error).message).toMatch(/backend pid \d+/);
      expect(await h.count('SELECT count(*) FROM raw_launches')).toBe(before);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    h.recorder.discard();
    await h.ingest();
  }, 30_000);
});

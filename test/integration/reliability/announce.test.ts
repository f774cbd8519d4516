/**
 * A loading run announces whenever the aggregates lag the raw store, even when it changed nothing
 * itself: a run that committed and then failed before announcing (its connection cut, say) is
 * caught up by the next one. The soak found the case this pins down (seed 1119947515, step 609):
 * an ingest answered by two 304s returned before asking whether the aggregates lagged.
 */
import { refreshAggregates } from '../../../functions/core/pipeline/aggregate';
import { closePipeline, createPipeline } from '../../../functions/core/pipeline/context';
import { ingest } from '../../../functions/core/pipeline/ingest';
import { unreflectedVersions } from '../../helpers/invariants';
import { Harness } from '../../helpers/reliability';

describe('reliability: announcing', () => {
  let h: Harness;
  beforeAll(async () => {
    // Loading runs that never announce: the aggregates are left behind, as after a lost event.
    h = await Harness.start({ launches: 60, upcoming: 8, announce: false });
  });
  afterAll(async () => h?.close());

  it('an ingest that finds nothing new (two 304s) still refreshes aggregates that lag', async () => {
    await h.backfill();
    h.replay.advance(1);
    await h.ingest(); // reads and stores the ETags of this tick
    expect(await unreflectedVersions(h.db.pool)).not.toEqual({ launches: 0, payloads: 0 });

    const pipeline = createPipeline({ DATABASE_URL: h.db.url, SPACEX_API_URL: h.replay.url }, { announce: refreshAggregates('test') });
    try {
      const run = await ingest(pipeline, 'test');
      expect(run.counts.notModified).toBe(true);
    } finally {
      await closePipeline(pipeline);
    }
    expect(await unreflectedVersions(h.db.pool)).toEqual({ launches: 0, payloads: 0 });
    await h.expectInvariants();
  });
});

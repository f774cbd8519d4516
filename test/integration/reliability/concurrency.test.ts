/**
 * Concurrency: 20 ingest and 5 backfill invocations at once, each its own process running the
 * built command line, while the source's clock moves. The advisory lock must serialise them:
 * afterwards no deadlock, no run left 'running', no content stored twice or out of order, and
 * the state after one more (quiet) run equals the source.
 */
import { ingest } from '../../../functions/core/pipeline/ingest';
import { runs } from '../../helpers/invariants';
import { cliEnv, ensureCliBuilt, Harness, replayHistory, runCli, type CliResult } from '../../helpers/reliability';

describe('reliability: concurrency', () => {
  let h: Harness;

  beforeAll(async () => {
    ensureCliBuilt();
    h = await Harness.start({ launches: 200, upcoming: 40, env: { SPACEX_API_PAGE_SIZE: '40' } });
  });
  afterAll(async () => h?.close());

  it('20 ingests and 5 backfills as separate processes while the clock advances', async () => {
    const env = cliEnv({ DATABASE_URL: h.db.url, SPACEX_API_URL: h.replay.url, SPACEX_API_PAGE_SIZE: '40', LOG_LEVEL: 'warn' });
    const steps = Array.from({ length: 25 }, (_, n) => (n % 5 === 2 ? 'backfill' : 'ingest'));
    const from = h.tick;
    const clock = setInterval(() => h.replay.advance(1), 400);
    let results: CliResult[];
    try {
      results = await Promise.all(steps.map((step) => runCli([step], env, 100_000)));
    } finally {
      clearInterval(clock);
    }
    const to = h.tick;
    expect(to - from).toBeGreaterThan(3); // the source really moved while they ran
    const failed = results
      .filter((r) => r.code !== 0)
      .map((r) => ({ args: r.args, code: r.code, signal: r.signal, stderr: r.stderr.slice(-2000) }));
    expect(failed).toEqual([]);

    const loading = (await runs(h.db.pool)).filter((r) => r.step !== 'aggregate');
    expect(loading.map((r) => `${r.step}:${r.status}`).sort()).toEqual(steps.map((s) => `${s}:succeeded`).sort());

    // As left by the concurrent runs: every version is something the source served, in the
    // order it served it, none twice; aggregates and run records true.
    const history = replayHistory(h.replay.dataset, from, to);
    expect(await h.violations({ documents: undefined, rejected: undefined, history, historyMode: 'ordered' })).toEqual([]);

    // One more backfill and ingest with the source still: the store equals the source.
    await h.backfill();
    await h.ingest();
    expect(await h.violations({ history, historyMode: 'ordered', rejected: undefined })).toEqual([]);
    const { rows } = await h.db.pool.query("SELECT count(*)::int AS n FROM pipeline_runs WHERE status <> 'succeeded'");
    expect(rows[0].n).toBe(0);
  });
});

describe('reliability: ingests that overlap', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ launches: 60, upcoming: 10 });
    await h.backfill();
  });
  afterAll(async () => h?.close());

  it('a slow ingest overtaken by a faster one never writes its older view over the newer one', async () => {
    const from = h.tick;
    // A reads the source at `from`; its payload request is slow. Meanwhile the source moves and
    // B reads the newer view. Whatever the order they commit in, the older view never lands last.
    h.replay.setFaults([{ match: '/v4/payloads/query', latencyMs: 1500, times: 1 }]);
    const slow = ingest(h.pipeline, 'slow');
    const deadline = Date.now() + 10_000;
    while (h.replay.stats().faultsPending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(h.replay.stats().faultsPending).toBe(0); // A's slow request is on its way
    h.replay.advance(1);
    const fast = ingest(h.pipeline, 'fast');
    await Promise.all([slow, fast]);
    h.recorder.discard(); // two runs at once: the history below is the source's, by tick
    await h.ingest();
    const history = replayHistory(h.replay.dataset, from, h.tick);
    expect(await h.violations({ history, historyMode: 'ordered', rejected: undefined })).toEqual([]);
  });
});

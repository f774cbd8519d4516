/**
 * API faults from the replay source's fault switches: transient ones must be ridden out by the
 * client's retries with every invariant intact; lasting ones must fail the run cleanly, leaving
 * nothing partial of the resource being loaded.
 */
import type { ResourceName } from '../../../functions/core/resources';
import { Harness, snapshot } from '../../helpers/reliability';

const LAUNCHES_QUERY = '/v5/launches/query';
const PAYLOADS_QUERY = '/v4/payloads/query';
const PAGE_SIZE = 16;
/** Resources a backfill loads before launches, each in its own transaction. */
const BEFORE_LAUNCHES: ResourceName[] = ['rockets', 'launchpads', 'landpads', 'payloads'];

describe('reliability: API faults', () => {
  let h: Harness;

  beforeAll(async () => {
    // 160 launches, 40 upcoming: the upcoming ones span the last three pages of 16.
    h = await Harness.start({
      launches: 160,
      upcoming: 40,
      env: { SPACEX_API_PAGE_SIZE: String(PAGE_SIZE), SPACEX_API_TIMEOUT_MS: '1000', SPACEX_API_RETRIES: '3' },
    });
    await h.backfill();
    await h.expectInvariants();
  });
  afterAll(async () => h?.close());
  afterEach(() => h.replay.clearFaults());

  const applied = () => h.replay.stats().faultsApplied;
  const launchTables = async () => {
    const all = await snapshot(h.db.pool);
    return { raw: all.raw_launches, launches: all.launches, links: all.launch_payloads, cores: all.launch_cores };
  };

  describe('transient faults are retried and every invariant holds', () => {
    it('500 bursts on a paged listing', async () => {
      h.replay.advance(1);
      h.replay.setFaults([{ match: LAUNCHES_QUERY, status: 500, times: 3 }]);
      const before = applied();
      expect((await h.backfill()).status).toBe('succeeded');
      expect(applied() - before).toBe(3);
      await h.expectInvariants();
    });

    it('503 bursts on the conditional GETs of ingest', async () => {
      h.replay.advance(1);
      h.replay.setFaults([
        { match: '/v5/launches/latest', status: 503, times: 2 },
        { match: '/v5/launches/upcoming', status: 503, times: 3 },
      ]);
      const run = await h.ingest();
      expect(run.status).toBe('succeeded');
      expect(run.changedLaunchIds.length).toBeGreaterThan(0);
      expect(h.replay.stats().faultsPending).toBe(0);
      await h.expectInvariants();
    });

    it('429 with Retry-After: the client waits as told', async () => {
      h.replay.advance(1);
      h.replay.setFaults([
        { match: PAYLOADS_QUERY, status: 429, retryAfter: 1, times: 1 },
        { match: '/v5/launches/upcoming', status: 429, retryAfter: 1, times: 1 },
      ]);
      const started = Date.now();
      await h.ingest();
      expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
      expect(h.replay.stats().faultsPending).toBe(0);
      await h.expectInvariants();
    });

    it('timeouts: answers slower than SPACEX_API_TIMEOUT_MS', async () => {
      h.replay.advance(1);
      // Well beyond the 1 s timeout: undici checks its timers at a coarse resolution.
      h.replay.setFaults([
        { match: LAUNCHES_QUERY, times: 9 },
        { match: LAUNCHES_QUERY, latencyMs: 3000, times: 2 }, // the last page, twice
      ]);
      const requests = () => h.replay.stats().requests[LAUNCHES_QUERY] ?? 0;
      const before = requests();
      expect((await h.backfill()).status).toBe('succeeded');
      expect(requests() - before).toBeGreaterThanOrEqual(10 + 2); // ten pages, the last one asked (at least) three times
      expect(h.replay.stats().faultsPending).toBe(0);
      await h.expectInvariants();
    });

    it('connection resets', async () => {
      h.replay.advance(1);
      h.replay.setFaults([
        { match: '/v5/launches/upcoming', reset: true, times: 2 },
        { match: PAYLOADS_QUERY, reset: true, times: 1 },
      ]);
      expect((await h.ingest()).status).toBe('succeeded');
      expect(h.replay.stats().faultsPending).toBe(0);
      await h.expectInvariants();
    });

    it('truncated JSON bodies', async () => {
      h.replay.advance(1);
      h.replay.setFaults([
        { match: LAUNCHES_QUERY, truncate: true, times: 2 },
        { match: '/v4/landpads/query', truncate: true, times: 1 },
      ]);
      expect((await h.backfill()).status).toBe('succeeded');
      expect(h.replay.stats().faultsPending).toBe(0);
      await h.expectInvariants();
    });
  });

  describe('bad content is contained', () => {
    it('a schema-invalid document among valid ones is quarantined and the rest loads', async () => {
      h.replay.advance(1);
      h.replay.setFaults([
        { match: LAUNCHES_QUERY, invalidDocument: true, times: 1 },
        { match: PAYLOADS_QUERY, invalidDocument: true, times: 1 },
      ]);
      const run = await h.backfill();
      expect(run.counts.launches).toMatchObject({ received: 160, quarantined: 1 });
      expect(run.counts.payloads).toMatchObject({ quarantined: 1 });
      const { rows } = await h.db.pool.query('SELECT entity, document_id, reason FROM quarantine WHERE last_run_id = $1 ORDER BY entity', [
        run.runId,
      ]);
      expect(rows).toEqual([
        { entity: 'launches', document_id: 'not-an-id', reason: expect.stringMatching(/id: must be 24 lowercase hex.*flight_number/) },
        { entity: 'payloads', document_id: 'not-an-id', reason: expect.stringMatching(/id: must be 24 lowercase hex/) },
      ]);
      expect(h.recorder.rejected.launches).toHaveLength(1);
      await h.expectInvariants();
    });

    it('duplicate ids within one response: one version, the later occurrence', async () => {
      h.replay.advance(1);
      h.replay.setFaults([{ match: LAUNCHES_QUERY, duplicateId: true, times: 10 }]);
      const run = await h.backfill();
      expect(run.counts.launches).toMatchObject({ received: 170, quarantined: 0 });
      await h.expectInvariants();

      // The same id twice with different contents: the later one is stored, once.
      h.replay.advance(1);
      h.replay.setFaults([{ match: '/v5/launches/upcoming', duplicateId: true, times: 1 }]);
      h.recorder.transform = (path, docs) => {
        if (path !== '/v5/launches/upcoming' || docs.length === 0) return docs;
        const first = docs[0] as { name: string };
        return [first, ...docs.slice(1), { ...first, name: `${first.name} (listed twice)` }];
      };
      try {
        await h.ingest();
      } finally {
        h.recorder.transform = undefined;
      }
      const firstUpcoming = h.replay.dataset.launchId(h.replay.dataset.nextIndex());
      const twice = h.recorder.lastServed.get('launches')!.get(firstUpcoming) as { id: string; name: string };
      expect(twice.name).toMatch(/\(listed twice\)$/);
      const { rows } = await h.db.pool.query('SELECT name FROM launches WHERE id = $1', [twice.id]);
      expect(rows[0].name).toBe(twice.name);
      expect(await h.count('SELECT count(*) FROM raw_launches WHERE id = $1 AND document->>$2 = $3', [twice.id, 'name', twice.name])).toBe(
        1,
      );
      await h.expectInvariants({ documents: h.documents({ launches: [twice] }) });
    });

    it('a document of several MB is stored verbatim', async () => {
      h.replay.advance(1);
      h.replay.setFaults([{ match: LAUNCHES_QUERY, hugeDocument: true, times: 1 }]);
      await h.backfill();
      const first = h.replay.dataset.launch(0);
      const huge = h.recorder.lastServed.get('launches')!.get(first.id) as { details: string };
      expect(huge.details.length).toBeGreaterThan(5_000_000);
      const { rows } = await h.db.pool.query('SELECT length(details) AS n FROM launches WHERE id = $1', [first.id]);
      expect(rows[0].n).toBe(huge.details.length);
      await h.expectInvariants({ documents: h.documents({ launches: [huge] }) });
      await h.backfill(); // the source serves the ordinary document again: a third version
      await h.expectInvariants();
      expect(await h.count('SELECT count(*) FROM raw_launches WHERE id = $1', [first.id])).toBe(3);
    });
  });

  describe('the source moves while a listing is paged', () => {
    it('a page served after the clock moved: nothing skipped or doubled, the next ingest catches up', async () => {
      const tick = h.tick;
      const firstUpcoming = h.replay.dataset.nextIndex();
      const pages = Math.ceil(160 / PAGE_SIZE);
      const slowPage = pages; // the last page; the one before it holds upcoming launches too
      expect(Math.floor(firstUpcoming / PAGE_SIZE) + 1).toBeLessThan(slowPage);
      h.replay.setFaults([
        { match: LAUNCHES_QUERY, times: slowPage - 1 },
        { match: LAUNCHES_QUERY, latencyMs: 1500 },
      ]);
      const requests = () => h.replay.stats().requests[LAUNCHES_QUERY] ?? 0;
      const before = requests();
      const running = h.backfill();
      while (requests() < before + slowPage) await new Promise((r) => setTimeout(r, 20));
      h.replay.advance(1); // while the last page is on its way
      const run = await running;
      expect(run.counts.launches).toMatchObject({ received: 160 });

      // Pages before the slow one hold the launches as they were at `tick`, the slow one as at tick + 1.
      const seen = [...h.replay.dataset.launches(tick)].slice(0, (slowPage - 1) * PAGE_SIZE);
      const { rows } = await h.db.pool.query('SELECT id, upcoming FROM launches WHERE id = $1', [h.replay.dataset.launchId(firstUpcoming)]);
      expect(rows[0].upcoming).toBe(true); // flew at tick + 1, but was listed before that
      await h.expectInvariants({ documents: h.documents({ launches: seen }) });

      const ingest = await h.ingest(); // picks up the launch that flew since (it left the upcoming list)
      expect(ingest.changedLaunchIds).toContain(h.replay.dataset.launchId(firstUpcoming));
      await h.expectInvariants();
    });

    it('a listing whose total changes while paged starts over and skips nothing', async () => {
      const past = () => h.replay.dataset.pastCount();
      h.replay.setFaults([
        { match: LAUNCHES_QUERY, times: 1 },
        { match: LAUNCHES_QUERY, latencyMs: 500 },
      ]);
      const ids: string[] = [];
      const listing = (async () => {
        for await (const page of h.pipeline.source.pages(LAUNCHES_QUERY, { upcoming: false }, { flight_number: 'asc' }))
          ids.push(...page.map((d) => (d as { id: string }).id));
      })();
      while (h.replay.stats().faultsPending > 0) await new Promise((r) => setTimeout(r, 10)); // page 2 is on its way
      h.replay.advance(1); // one more past launch: the total moves between page 1 and page 2
      await listing;
      const expected = Array.from({ length: past() }, (_, i) => h.replay.dataset.launchId(i));
      expect(new Set(ids)).toEqual(new Set(expected));
      await h.ingest();
      await h.expectInvariants();
    });
  });

  describe('faults beyond the retry budget fail the run cleanly', () => {
    it('a listing failing for good: the run fails, nothing of that resource is visible', async () => {
      const tick = h.tick;
      h.replay.advance(1);
      const launchesBefore = await launchTables();
      h.replay.setFaults([
        { match: LAUNCHES_QUERY, times: 2 },
        { match: LAUNCHES_QUERY, status: 503, times: 100 },
      ]);
      const failure = await h.failing('backfill', BEFORE_LAUNCHES);
      expect(failure.message).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/v5\/launches\/query failed after 4 attempts: HTTP 503/);
      expect(await h.count('SELECT count(*) FROM raw_launches WHERE run_id = $1', [failure.summary.runId])).toBe(0);
      expect(await launchTables()).toEqual(launchesBefore);
      const { rows } = await h.db.pool.query('SELECT status, error FROM pipeline_runs WHERE run_id = $1', [failure.summary.runId]);
      expect(rows[0]).toEqual({ status: 'failed', error: expect.stringContaining('HTTP 503') });
      await h.expectInvariants({ documents: h.documents({ launches: [...h.replay.dataset.launches(tick)] }) });

      h.replay.clearFaults();
      await h.backfill();
      await h.expectInvariants();
    });

    it('connection resets on every attempt of an ingest GET: nothing written', async () => {
      h.replay.advance(1);
      const before = await snapshot(h.db.pool);
      h.replay.setFaults([{ match: '/v5/launches/upcoming', reset: true, times: 100 }]);
      const failure = await h.failing('ingest');
      expect(failure.message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/v5\/launches\/upcoming failed after 4 attempts/);
      expect(await snapshot(h.db.pool)).toEqual(before);
      h.replay.clearFaults();
      await h.ingest();
      await h.expectInvariants();
    });

    it('truncated bodies on every attempt, timeouts on every attempt, a 404: nothing written', async () => {
      h.replay.advance(1);
      const before = await snapshot(h.db.pool);
      h.replay.setFaults([{ match: PAYLOADS_QUERY, truncate: true, times: 100 }]);
      expect((await h.failing('ingest')).message).toMatch(/payloads\/query failed after 4 attempts: malformed JSON/);
      h.replay.setFaults([{ match: '/v5/launches/latest', latencyMs: 3000, times: 100 }]);
      expect((await h.failing('ingest')).message).toMatch(/launches\/latest failed after 4 attempts/);
      h.replay.setFaults([{ match: '/v5/launches/latest', status: 404, times: 100 }]);
      expect((await h.failing('ingest')).message).toMatch(/launches\/latest answered HTTP 404/);
      expect(await snapshot(h.db.pool)).toEqual(before);
      h.replay.clearFaults();
      await h.ingest();
      await h.expectInvariants();
      expect(await h.count("SELECT count(*) FROM pipeline_runs WHERE status = 'failed'")).toBe(5);
    });
  });
});

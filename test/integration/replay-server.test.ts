import type { Launch, Payload } from '../../infra/local/spacex-api/dataset';
import { startReplayServer } from '../../infra/local/spacex-api/server';
import { expected, replayForTests, SHARED_REPLAY } from '../helpers/api-client';

/** The simulated API over real HTTP: routes, paging, entities and the moving clock; no database needed. */

const ENVELOPE_KEYS = [
  'docs',
  'totalDocs',
  'offset',
  'limit',
  'totalPages',
  'page',
  'pagingCounter',
  'hasPrevPage',
  'hasNextPage',
  'prevPage',
  'nextPage',
];

const replay = replayForTests();
const { get, post, getJson, query } = replay;

/** Runs a test that moves the clock on a server of its own, so the shared one stays at tick 0. */
async function moveClock(test: () => Promise<void>): Promise<void> {
  const shared = replay.server;
  replay.server = await startReplayServer(SHARED_REPLAY);
  try {
    await test();
  } finally {
    await replay.server.close();
    replay.server = shared;
  }
}

describe('replay server: launches', () => {
  it('lists all launches with JSON, cache and ETag headers', async () => {
    const res = await get('/v5/launches');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('max-age=20');
    expect(res.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    expect(await res.json()).toEqual(expected([...replay.server.dataset.launches()]));
  });

  it('serves past, upcoming, latest, next and one launch by id', async () => {
    const { dataset } = replay.server;
    const past = await getJson<Launch[]>('/v5/launches/past');
    const upcoming = await getJson<Launch[]>('/v5/launches/upcoming');
    expect(past).toHaveLength(dataset.pastCount());
    expect(upcoming).toHaveLength(dataset.size - dataset.pastCount());
    expect(upcoming.every((l) => l.upcoming && l.success === null)).toBe(true);
    expect(await getJson('/v5/launches/latest')).toEqual(expected(dataset.launch(dataset.latestIndex())));
    expect(await getJson('/v5/launches/next')).toEqual(expected(dataset.launch(dataset.nextIndex())));
    const one = dataset.launch(42);
    expect(await getJson(`/v5/launches/${one.id}`)).toEqual(expected(one));
  });

  it('answers unknown ids and routes with a JSON 404', async () => {
    for (const path of ['/v5/launches/0123456789abcdef01234567', '/v5/launches/nope', '/v4/cores', '/v4/payloads/abc']) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: expect.any(String) });
    }
  });

  it('answers 304 to a matching If-None-Match, and a new ETag once the source moved', async () => {
    const first = await get('/v5/launches/latest');
    const etag = first.headers.get('etag')!;
    const again = await get('/v5/launches/latest', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    await moveClock(async () => {
      // Same seed and size: a new server answers the same bytes until its clock moves.
      expect((await get('/v5/launches/latest', { 'If-None-Match': etag })).status).toBe(304);
      replay.server.advance(1);
      const moved = await get('/v5/launches/latest', { 'If-None-Match': etag });
      expect(moved.status).toBe(200);
      expect(moved.headers.get('etag')).not.toBe(etag);
    });
  });
});

describe('replay server: POST /v5/launches/query', () => {
  it('pages with the mongoose-paginate envelope', async () => {
    const page = await query('/v5/launches/query', { query: {}, options: { limit: 50, page: 2 } });
    expect(Object.keys(page)).toEqual(ENVELOPE_KEYS);
    expect({ ...page, docs: undefined }).toEqual({
      docs: undefined,
      totalDocs: 205,
      offset: 50,
      limit: 50,
      totalPages: 5,
      page: 2,
      pagingCounter: 51,
      hasPrevPage: true,
      hasNextPage: true,
      prevPage: 1,
      nextPage: 3,
    });
    expect(page.docs.map((l) => l.flight_number)).toEqual(Array.from({ length: 50 }, (_, k) => 51 + k));
    expect(page.docs[0]).toEqual(expected(replay.server.dataset.launch(50)));
  });

  it('ends with a short last page, an empty page beyond, and defaults to 10 per page', async () => {
    const last = await query('/v5/launches/query', { options: { limit: 50, page: 5 } });
    expect(last.docs).toHaveLength(5);
    expect([last.hasNextPage, last.nextPage]).toEqual([false, null]);
    const beyond = await query('/v5/launches/query', { options: { limit: 50, page: 9 } });
    expect([beyond.docs.length, beyond.page, beyond.prevPage, beyond.hasNextPage]).toEqual([0, 9, 8, false]);
    const defaults = await query('/v5/launches/query', {});
    expect([defaults.docs.length, defaults.limit, defaults.page, defaults.totalPages]).toEqual([10, 10, 1, 21]);
  });

  it('returns everything in one page with pagination false', async () => {
    const all = await query('/v5/launches/query', { query: {}, options: { pagination: false } });
    expect({ ...all, docs: all.docs.length }).toEqual({
      docs: 205,
      totalDocs: 205,
      offset: 0,
      limit: 205,
      totalPages: 1,
      page: 1,
      pagingCounter: 1,
      hasPrevPage: false,
      hasNextPage: false,
      prevPage: null,
      nextPage: null,
    });
  });

  it('sorts by flight_number both ways and by date_utc', async () => {
    for (const desc of ['desc', -1]) {
      const page = await query('/v5/launches/query', { options: { limit: 3, sort: { flight_number: desc } } });
      expect(page.docs.map((l) => l.flight_number)).toEqual([205, 204, 203]);
    }
    const byDate = await query('/v5/launches/query', { options: { pagination: false, sort: { date_utc: 'desc' } } });
    const dates = byDate.docs.map((l) => Date.parse(l.date_utc));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });

  it('filters by upcoming, ids, flight_number ranges and dates, alone or combined', async () => {
    const { dataset } = replay.server;
    const all = [...dataset.launches()];
    const filter = async (q: object) =>
      (await query('/v5/launches/query', { query: q, options: { pagination: false } })).docs.map((l) => l.flight_number);
    const numbers = (f: (l: Launch) => boolean) => all.filter(f).map((l) => l.flight_number);
    expect(await filter({ upcoming: true })).toEqual(numbers((l) => l.upcoming));
    expect(await filter({ upcoming: false })).toEqual(numbers((l) => !l.upcoming));
    const ids = [all[7].id, all[3].id, 'not-an-id'];
    expect(await filter({ id: { $in: ids } })).toEqual([4, 8]);
    expect(await filter({ _id: all[9].id })).toEqual([10]);
    expect(await filter({ flight_number: { $gt: 10, $lte: 13 } })).toEqual([11, 12, 13]);
    expect(await filter({ flight_number: { $gte: 200 } })).toEqual([200, 201, 202, 203, 204, 205]);
    expect(await filter({ flight_number: { $lt: 3 } })).toEqual([1, 2]);
    expect(await filter({ flight_number: 5 })).toEqual([5]);
    expect(await filter({ flight_number: { $in: [3, 1, 999] } })).toEqual([1, 3]);
    const since = '2022-01-01T00:00:00.000Z';
    expect(await filter({ date_utc: { $gte: since } })).toEqual(numbers((l) => l.date_utc >= since));
    expect(await filter({ date_utc: { $gte: since }, upcoming: false, flight_number: { $lte: 180 } })).toEqual(
      numbers((l) => l.date_utc >= since && !l.upcoming && l.flight_number <= 180),
    );
    expect(await filter({ id: { $in: ids }, flight_number: { $gt: 5 } })).toEqual([8]);
  });

  it('answers 400 with a message to unknown fields, operators, options and bad JSON', async () => {
    const bodies = [
      { query: { rocket: 'x' } },
      { query: { flight_number: { $regex: '1' } } },
      { query: { upcoming: 'yes' } },
      { query: { date_utc: { $gte: 'last tuesday' } } },
      { options: { sort: { name: 'asc' } } },
      { options: { populate: ['rocket'] } },
      '{not json',
    ];
    for (const body of bodies) {
      const res = await post('/v5/launches/query', body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: unknown }).error).toEqual(expect.any(String));
    }
  });
});

describe('replay server: v4 entities', () => {
  it.each([
    ['rockets', 86_400, 4],
    ['launchpads', 300, 6],
    ['landpads', 300, 7],
  ])('lists %s with max-age %i', async (entity, maxAge, count) => {
    const res = await get(`/v4/${entity}`);
    expect(res.headers.get('cache-control')).toBe(`max-age=${maxAge}`);
    const docs = (await res.json()) as { id: string }[];
    expect(docs).toHaveLength(count);
    expect(await getJson(`/v4/${entity}/${docs[1].id}`)).toEqual(docs[1]);
    const page = await query<{ id: string }>(`/v4/${entity}/query`, { query: { id: { $in: [docs[2].id] } }, options: {} });
    expect(page.docs).toEqual([docs[2]]);
  });

  it('serves payloads, alone, listed, and queried by launch', async () => {
    const { dataset } = replay.server;
    const payloads = await getJson<Payload[]>('/v4/payloads');
    expect(payloads).toHaveLength(dataset.payloadCount);
    expect(payloads[5]).toEqual(expected(dataset.payload(5)));
    expect(await getJson(`/v4/payloads/${payloads[9].id}`)).toEqual(payloads[9]);
    const launches = [dataset.launch(100), dataset.launch(3)];
    const page = await query<Payload>('/v4/payloads/query', {
      query: { launch: { $in: launches.map((l) => l.id) } },
      options: { pagination: false },
    });
    expect(page.docs.map((p) => p.id).sort()).toEqual(launches.flatMap((l) => l.payloads).sort());
    const paged = await query<Payload>('/v4/payloads/query', { query: {}, options: { limit: 100, page: 3 } });
    expect(paged.docs.map((p) => p.id)).toEqual(payloads.slice(200, 300).map((p) => p.id));
    expect(paged.totalDocs).toBe(dataset.payloadCount);
  });
});

describe('replay server: live source', () => {
  it('advances over HTTP: latest moves on, upcoming shrinks, schedules slip', () =>
    moveClock(async () => {
      const { dataset } = replay.server;
      const before = await getJson<Launch[]>('/v5/launches/upcoming');
      const state = await (await post('/_replay/advance', { ticks: 3 })).json();
      expect(state).toEqual({ tick: 3, size: 205, latestIndex: 189, payloadCount: dataset.payloadCount });
      expect(await getJson('/_replay/state')).toEqual(state);
      const latest = await getJson<Launch>('/v5/launches/latest');
      expect(latest.flight_number).toBe(190);
      expect(latest.upcoming).toBe(false);
      const after = await getJson<Launch[]>('/v5/launches/upcoming');
      expect(after).toHaveLength(before.length - 3);
      expect(after).toEqual(expected([...dataset.launches()].filter((l) => l.upcoming)));
      const slipped = after.filter((l) => l.date_utc !== before.find((b) => b.id === l.id)!.date_utc);
      expect(slipped.length).toBeGreaterThan(0);
    }));

  it('keeps moving far into the future: each tick after 10,000 changes latest or upcoming, with a new ETag', () =>
    moveClock(async () => {
      await post('/_replay/advance', { ticks: 10_000 });
      let previous = { latest: await get('/v5/launches/latest'), upcoming: await get('/v5/launches/upcoming') };
      for (let n = 0; n < 5; n++) {
        await post('/_replay/advance', { ticks: 1 });
        const now = { latest: await get('/v5/launches/latest'), upcoming: await get('/v5/launches/upcoming') };
        const tags = (r: typeof now) => `${r.latest.headers.get('etag')} ${r.upcoming.headers.get('etag')}`;
        expect(tags(now)).not.toBe(tags(previous));
        const upcoming = (await now.upcoming.json()) as Launch[];
        expect(upcoming.length).toBeGreaterThan(0);
        expect(upcoming.every((l) => l.upcoming && l.flight_number > 5_000)).toBe(true);
        expect(((await now.latest.json()) as Launch).upcoming).toBe(false);
        previous = now;
      }
      expect((await post('/_replay/advance', { ticks: 1_000_000 })).status).toBe(400); // beyond the clock's reach
    }));

  it('ticks on a wall clock when tickSeconds is set', async () => {
    const clocked = await startReplayServer({ launches: 100, tickSeconds: 0.05 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(clocked.dataset.tick).toBeGreaterThanOrEqual(2);
    } finally {
      await clocked.close();
    }
  });
});

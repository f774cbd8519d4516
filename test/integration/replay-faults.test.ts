import http from 'node:http';
import type { Launch } from '../../infra/local/spacex-api/dataset';
import { type ReplayServer, startReplayServer } from '../../infra/local/spacex-api/server';
import { replayForTests } from '../helpers/api-client';

/** The simulated API's fault switches and large data sets, over real HTTP; no database needed. */

const replay = replayForTests();
const { get, post, getJson, query } = replay;

describe('replay server: faults', () => {
  const setFaults = async (rules: unknown) => {
    const res = await post('/_replay/faults', rules);
    expect(res.status).toBe(200);
  };
  const stats = async () => await getJson<{ requests: Record<string, number>; faultsApplied: number }>('/_replay/stats');

  it('answers error statuses the given number of times, with Retry-After, and counts requests per path', async () => {
    await setFaults([
      { match: '/v5/launches/latest', status: 503, times: 2 },
      { match: '/latest', status: 429, retryAfter: 7 },
    ]);
    const before = (await stats()).requests['/v5/launches/latest'] ?? 0;
    const statuses = [];
    for (let n = 0; n < 4; n++) {
      const res = await get('/v5/launches/latest');
      statuses.push(res.status);
      if (res.status === 429) expect(res.headers.get('retry-after')).toBe('7');
      await res.arrayBuffer();
    }
    expect(statuses).toEqual([503, 503, 429, 200]);
    expect((await stats()).requests['/v5/launches/latest']).toBe(before + 4);
  });

  it('applies rules only to the matching path (substring or regex) and method', async () => {
    await setFaults([{ match: '^/v4/(rockets|landpads)$', method: 'GET', status: 500, times: 5 }]);
    expect((await get('/v4/launchpads')).status).toBe(200);
    expect((await post('/v4/rockets/query', {})).status).toBe(200);
    expect((await get('/v4/rockets')).status).toBe(500);
    expect((await get('/v4/landpads')).status).toBe(500);
  });

  it('delays answers by latencyMs', async () => {
    await setFaults([{ match: '/v4/rockets', latencyMs: 300 }]);
    const started = Date.now();
    expect((await get('/v4/rockets')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('resets the connection without a response', async () => {
    await setFaults([{ match: '/v5/launches/latest', reset: true }]);
    await expect(get('/v5/launches/latest')).rejects.toThrow();
    expect((await get('/v5/launches/latest')).status).toBe(200);
  });

  it('truncates the JSON body in half behind a valid status', async () => {
    const whole = await (await get('/v5/launches/past')).text();
    await setFaults([{ match: '/v5/launches/past', truncate: true }]);
    const res = await get('/v5/launches/past');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow();
    expect(whole.startsWith(text)).toBe(true);
    expect(text.length / whole.length).toBeGreaterThan(0.4);
    expect(text.length / whole.length).toBeLessThan(0.6);
  });

  it('replaces one document by a schema-invalid one', async () => {
    await setFaults([{ match: '/query', invalidDocument: true }]);
    const page = await query('/v5/launches/query', { options: { limit: 20 } });
    const invalid = page.docs.filter((l) => l.id === 'not-an-id');
    expect(invalid).toHaveLength(1);
    expect(typeof invalid[0].flight_number).toBe('string');
    expect(page.docs).toHaveLength(20);
  });

  it('repeats one document in a page', async () => {
    await setFaults([{ match: '/query', duplicateId: true }]);
    const page = await query('/v5/launches/query', { options: { limit: 20 } });
    expect(page.docs).toHaveLength(21);
    expect(new Set(page.docs.map((l) => l.id)).size).toBe(20);
  });

  it('adds a several-MB details string to one document', async () => {
    await setFaults([{ match: '/v5/launches/latest', hugeDocument: true }]);
    const latest = await getJson<Launch>('/v5/launches/latest');
    expect(latest.details!.length).toBeGreaterThan(4_000_000);
    expect(latest.id).toBe(replay.server.dataset.launch(replay.server.dataset.latestIndex()).id);
  });

  it('puts hostile text into names and details, still as valid JSON', async () => {
    await setFaults([{ match: '/v5/launches/upcoming', hostile: true }]);
    const upcoming = await getJson<Launch[]>('/v5/launches/upcoming');
    for (const l of upcoming) {
      for (const text of [l.name, l.details!]) {
        expect(text).toContain("'); DROP TABLE launches;--");
        expect(text).toContain('\u0000');
        expect(text).toContain('🚀');
        expect(text).toContain('\\');
        expect(text).toMatch(/[\u0590-\u06ff]/);
      }
    }
  });

  it('rejects malformed rules and clears them with DELETE', async () => {
    expect((await post('/_replay/faults', [{ status: 200 }])).status).toBe(400);
    expect((await post('/_replay/faults', [{ explode: true }])).status).toBe(400);
    expect((await post('/_replay/faults', { status: 500 })).status).toBe(400);
    await setFaults([{ status: 500, times: 3 }]);
    expect((await fetch(`${replay.server.url}/_replay/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await get('/v4/rockets')).status).toBe(200);
  });
});

describe('replay server: large data sets', () => {
  let big: ReplayServer;
  beforeAll(async () => {
    big = await startReplayServer({ launches: 50_000 });
  });
  afterAll(async () => {
    await big.close();
  });

  /** Status, headers and byte count of a response read as a stream. */
  const download = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: number; tail: string; ms: number }>((resolve, reject) => {
      const started = Date.now();
      const req = http.request(big.url + path, { method: body ? 'POST' : 'GET', headers }, (res) => {
        let bytes = 0;
        let tail = '';
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          tail = (tail + chunk.toString('latin1')).slice(-400);
        });
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, bytes, tail, ms: Date.now() - started }));
      });
      req.on('error', reject);
      req.end(body ? JSON.stringify(body) : undefined);
    });

  it('streams a page of 10,000 launches in chunks, fast', async () => {
    const page = await download('/v5/launches/query', { query: {}, options: { limit: 10_000, page: 2 } });
    expect(page.status).toBe(200);
    expect(page.headers['transfer-encoding']).toBe('chunked');
    expect(page.headers['content-length']).toBeUndefined();
    expect(page.bytes).toBeGreaterThan(10_000 * 1000);
    expect(page.tail).toContain('"totalDocs":50000,"offset":10000,"limit":10000,"totalPages":5,"page":2');
    expect(page.ms).toBeLessThan(3000);
  });

  it('streams every launch, and honours If-None-Match on streamed bodies', async () => {
    const all = await download('/v5/launches');
    expect(all.status).toBe(200);
    expect(all.tail.endsWith(`"id":"${big.dataset.launch(49_999).id}"}]`)).toBe(true);
    const again = await download('/v5/launches', undefined, { 'If-None-Match': String(all.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.bytes).toBe(0);
  });
});

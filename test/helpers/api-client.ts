/** Requests to the simulated API over real HTTP, for the tests of the server itself. */
import type { Launch } from '../../infra/local/spacex-api/dataset';
import type { PageMeta } from '../../infra/local/spacex-api/paging';
import { type ReplayServer, startReplayServer } from '../../infra/local/spacex-api/server';

/** A page of `POST .../query`: the simulator's envelope fields around the documents. */
export type Page<T> = PageMeta & { docs: T[] };

/** get, post, getJson and query against the server whose URL `url()` gives at call time. */
export function apiClient(url: () => string) {
  const get = (path: string, headers: Record<string, string> = {}) => fetch(url() + path, { headers });
  const post = (path: string, body: unknown) =>
    fetch(url() + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const getJson = async <T>(path: string): Promise<T> => (await get(path)).json() as Promise<T>;
  const query = async <T = Launch>(path: string, body: unknown): Promise<Page<T>> => {
    const res = await post(path, body);
    expect(res.status).toBe(200);
    return res.json() as Promise<Page<T>>;
  };
  return { get, post, getJson, query };
}

/** The JSON the data set itself gives, to compare with what came over the wire. */
export const expected = (value: unknown) => JSON.parse(JSON.stringify(value));

/** The server the tests of the simulated API share: 205 launches from seed 42, at tick 0. */
export const SHARED_REPLAY = { port: 0, launches: 205, seed: 42 };

/**
 * The simulated API of one test file, with its client: started before the file's tests, its
 * faults cleared after each, closed after all. `server` is read at each request, so a test may
 * put a server of its own in its place for a while.
 */
export function replayForTests() {
  const replay = { server: undefined as unknown as ReplayServer };
  beforeAll(async () => {
    replay.server = await startReplayServer(SHARED_REPLAY);
  });
  afterAll(() => replay.server.close());
  afterEach(() => replay.server.clearFaults());
  const client = apiClient(() => replay.server.url);
  return Object.assign(replay, client);
}

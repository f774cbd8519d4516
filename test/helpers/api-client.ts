/** Requests to the simulated API over real HTTP, for the tests of the server itself. */
import type { Launch } from '../../infra/local/spacex-api/dataset';

export interface Page<T> {
  docs: T[];
  totalDocs: number;
  offset: number;
  limit: number;
  totalPages: number;
  page: number;
  pagingCounter: number;
  hasPrevPage: boolean;
  hasNextPage: boolean;
  prevPage: number | null;
  nextPage: number | null;
}

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

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryError } from '../../functions/core/errors';
import { QUERY_DEFAULTS, runQuery, TrinoQueryError } from '../../functions/core/query/trino';

/**
 * The retry policy of `runQuery`, against a stand-in that speaks Trino's statement protocol
 * (POST /v1/statement, then follow nextUri) and fails the first queries as a Trino does that
 * has just started: NO_NODES_AVAILABLE. The real Trino is in test/integration/trino.test.ts.
 */
function fakeTrino(failures: number, errorName = 'NO_NODES_AVAILABLE') {
  let statements = 0;
  const server: Server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const send = (body: object) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'POST' && req.url === '/v1/statement') {
      statements += 1;
      const id = `q${statements}`;
      return send({ id, nextUri: `${base}/v1/statement/executing/${id}/1`, stats: { state: 'QUEUED' } });
    }
    const id = /executing\/(q\d+)\//.exec(req.url ?? '')?.[1] ?? 'q0';
    if (Number(id.slice(1)) <= failures) {
      return send({
        id,
        stats: { state: 'FAILED' },
        error: { errorName, errorType: 'INSUFFICIENT_RESOURCES', message: 'No nodes available' },
      });
    }
    return send({ id, columns: [{ name: 'x', type: 'integer' }], data: [[1]], stats: { state: 'FINISHED' } });
  });
  return {
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    statements: () => statements,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('runQuery and NO_NODES_AVAILABLE', () => {
  const fakes: ReturnType<typeof fakeTrino>[] = [];
  const start = async (failures: number, errorName?: string) => {
    const fake = fakeTrino(failures, errorName);
    fakes.push(fake);
    return { fake, settings: { ...QUERY_DEFAULTS, url: await fake.start() } };
  };
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });

  it('sends the query again until the nodes are there, then answers', async () => {
    const { fake, settings } = await start(2);
    expect((await runQuery(settings, 'SELECT 1 AS x', { noNodesWaitMs: 20_000 })).rows).toEqual([{ x: 1 }]);
    expect(fake.statements()).toBe(3);
  });

  it('gives up after the bound, saying what it means and what to do', async () => {
    const { fake, settings } = await start(Number.POSITIVE_INFINITY);
    const started = Date.now();
    const error = await runQuery(settings, 'SELECT 1', { noNodesWaitMs: 1500 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(TrinoQueryError);
    expect((error as TrinoQueryError).errorName).toBe('NO_NODES_AVAILABLE');
    expect((error as Error).message).toMatch(/has no active node for catalog postgresql \(NO_NODES_AVAILABLE\), still after 2 s/);
    expect((error as Error).message).toContain('trino status');
    expect(fake.statements()).toBeGreaterThan(1);
  });

  it('never resends a query that failed for another reason, nor when told not to wait', async () => {
    const other = await start(1, 'TABLE_NOT_FOUND');
    await expect(runQuery(other.settings, 'SELECT 1')).rejects.toThrow('Trino TABLE_NOT_FOUND');
    expect(other.fake.statements()).toBe(1);
    const noWait = await start(1);
    const error = await runQuery(noWait.settings, 'SELECT 1', { noNodesWaitMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as Error).message).toBe('Trino NO_NODES_AVAILABLE: No nodes available');
    expect(noWait.fake.statements()).toBe(1);
  });
});

/**
 * Configuration, through the built command line as a child process: every variable missing
 * (where required) or malformed stops it with exit code 2 and a message naming the variable,
 * before anything connects; and the database password appears in no output, whatever fails.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { cliEnv, ensureCliBuilt, runCli, type CliResult } from '../../helpers/reliability';

/** Distinctive, with characters a URL must encode. */
const SECRET = 'Rel1ab!lity/Secret:7Q@z%';
const ENCODED = encodeURIComponent(SECRET);

/** Runs at most `width` at a time: each is a Node process on a 2-core machine. */
async function inBatches<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const n = next++;
        results[n] = await work(items[n]);
      }
    }),
  );
  return results;
}

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));

describe('reliability: configuration', () => {
  let closedPort: number;
  let valid: Record<string, string>;

  beforeAll(async () => {
    ensureCliBuilt();
    // A port nothing listens on: a run that got past validation would fail there, with exit code 1.
    const probe = createServer();
    closedPort = await listen(probe);
    await new Promise((r) => probe.close(r));
    valid = {
      DATABASE_URL: `postgres://pipeline:${ENCODED}@127.0.0.1:${closedPort}/spacex`,
      SPACEX_API_URL: 'http://127.0.0.1:9',
      SPACEX_API_TIMEOUT_MS: '1000',
      SPACEX_API_RETRIES: '0',
      SPACEX_API_PAGE_SIZE: '100',
      LOG_LEVEL: 'trace',
    };
  });

  const expectNoSecret = (result: CliResult) => {
    const output = result.stdout + result.stderr;
    expect({ args: result.args, leaked: output.includes(SECRET) || output.includes(ENCODED) }).toEqual({
      args: result.args,
      leaked: false,
    });
  };

  // An unset DATABASE_URL is not an error: the local database is used (test/integration/local-database.test.ts).
  const MALFORMED: [variable: string, value: string | undefined][] = [
    ['DATABASE_URL', 'localhost:5432/spacex'],
    ['DATABASE_URL', `mysql://pipeline:${ENCODED}@localhost/spacex`],
    ['DATABASE_URL', 'postgres://'],
    ['DATABASE_URL', `postgres://pipeline:${ENCODED}@localhost:99999/spacex`],
    ['SPACEX_API_URL', 'api.spacexdata.com'],
    ['SPACEX_API_URL', 'ftp://api.spacexdata.com'],
    ['SPACEX_API_URL', 'http://'],
    ['SPACEX_API_TIMEOUT_MS', 'soon'],
    ['SPACEX_API_TIMEOUT_MS', '0'],
    ['SPACEX_API_TIMEOUT_MS', '-5'],
    ['SPACEX_API_TIMEOUT_MS', '1.5'],
    ['SPACEX_API_TIMEOUT_MS', '1e12'],
    ['SPACEX_API_RETRIES', 'many'],
    ['SPACEX_API_RETRIES', '-1'],
    ['SPACEX_API_RETRIES', '21'],
    ['SPACEX_API_RETRIES', '2.5'],
    ['SPACEX_API_RETRIES', 'Infinity'],
    ['SPACEX_API_PAGE_SIZE', 'all'],
    ['SPACEX_API_PAGE_SIZE', '0'],
    ['SPACEX_API_PAGE_SIZE', '-10'],
    ['SPACEX_API_PAGE_SIZE', '3.3'],
    ['PIPELINE_LOCK_WAIT_MS', 'forever'],
    ['PIPELINE_LOCK_WAIT_MS', '0'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '-1'],
    ['DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', '2.5'],
    ['DATABASE_CONNECT_TIMEOUT_MS', '1e9'],
    ['LOG_LEVEL', 'loud'],
    ['LOG_LEVEL', 'INFO'],
    ['LOG_LEVEL', 'verbose'],
    ['DEMO_PG_PORT', 'five'],
    ['DEMO_PG_PORT', '0'],
    ['DEMO_PG_PORT', '70000'],
    ['DEMO_TRINO_PORT', '80.8'],
  ];

  /** What each variable accepts, which its message must say. */
  const ALLOWED: Record<string, RegExp> = {
    DATABASE_URL: /postgres:\/\/user:\*\*\*@localhost:5432\/spacex/, // the example's password is masked too
    SPACEX_API_URL: /http\(s\):\/\//,
    SPACEX_API_TIMEOUT_MS: /a whole number from 1 to 600000/,
    SPACEX_API_RETRIES: /a whole number from 0 to 20/,
    SPACEX_API_PAGE_SIZE: /a whole number from 1 to 100000/,
    LOG_LEVEL: /must be one of fatal, error, warn, info, debug, trace, silent/,
    DEMO_PG_PORT: /a whole number from 1 to 65535/,
    DEMO_TRINO_PORT: /a whole number from 1 to 65535/,
    PIPELINE_LOCK_WAIT_MS: /a whole number from 1 to 3600000/,
    DATABASE_STATEMENT_TIMEOUT_MS: /a whole number from 1 to 3600000/,
    DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: /a whole number from 1 to 3600000/,
    DATABASE_CONNECT_TIMEOUT_MS: /a whole number from 1 to 600000/,
  };

  it('a missing or malformed variable: exit code 2 and a message naming it, for every variable', async () => {
    const results = await inBatches(MALFORMED, 4, ([variable, value]) => runCli(['ingest'], cliEnv({ ...valid, [variable]: value })));
    const outcomes = results.map((result, n) => {
      const [variable, value] = MALFORMED[n];
      const named = new RegExp(`^spacex-pipeline: Invalid configuration: ${variable} .+\\. See \\.env\\.example\\.$`, 'm').test(
        result.stderr,
      );
      return { variable, value, code: result.code, named, allowed: ALLOWED[variable].test(result.stderr) };
    });
    expect(outcomes).toEqual(MALFORMED.map(([variable, value]) => ({ variable, value, code: 2, named: true, allowed: true })));
    for (const result of results) expectNoSecret(result);
  });

  it('a bad flag exits 2 and says what it accepts', async () => {
    const results = await Promise.all([
      runCli(['replay', '--port', 'abc'], cliEnv(valid)),
      runCli(['demo', '--pg-port', '99999'], cliEnv(valid)),
      runCli(['query', 'SELECT 1', '--format', 'xml'], cliEnv(valid)),
    ]);
    expect(results.map((r) => ({ code: r.code, says: /must be|Allowed choices are table, json, csv/.test(r.stderr) }))).toEqual(
      results.map(() => ({ code: 2, says: true })),
    );
  });

  it('a query argument that looks like a path and names no file: "no such file", exit 2', async () => {
    const results = await Promise.all(
      ['sql/analytics/9_no_such_question.sql', 'missing.sql', 'sql/analytics/typo'].map((arg) => runCli(['query', arg], cliEnv(valid))),
    );
    expect(results.map((r) => ({ arg: r.args[1], code: r.code, said: /^spacex-pipeline: no such file: /m.test(r.stderr) }))).toEqual(
      results.map((r) => ({ arg: r.args[1], code: 2, said: true })),
    );
  });

  it('the password is masked in every form a connection string carries it: userinfo, ?password=, options', async () => {
    const forms = [
      `postgres://pipeline@127.0.0.1:${closedPort}/spacex?password=${ENCODED}`,
      `postgres://pipeline@127.0.0.1:${closedPort}/spacex?sslmode=disable&password=${ENCODED}`,
      `postgres://pipeline:${ENCODED}@127.0.0.1:${closedPort}/spacex?options=-c%20password%3D${ENCODED}`,
    ];
    const results = await inBatches(forms, 3, (url) => runCli(['status'], cliEnv({ ...valid, DATABASE_URL: url })));
    for (const result of results) {
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Cannot connect to PostgreSQL at postgres:\/\/pipeline(:\*\*\*)?@127\.0\.0\.1:\d+\/spacex\?/);
      expectNoSecret(result);
    }
  });

  it('the password appears in no output when the connection fails: wrong port or password, no database, server down, silent', async () => {
    const server = new URL(process.env.TEST_DATABASE_URL!);
    const realPassword = decodeURIComponent(server.password);
    const wrongPassword = new URL(server);
    wrongPassword.password = ENCODED;
    const noDatabase = new URL(server);
    noDatabase.pathname = '/no_such_database';
    // A server that hangs up, and one that never answers. The hang-up reads the startup message
    // before closing: closing with it unread sends a reset, and the client then reports
    // ECONNRESET or "terminated" depending on which it sees first.
    const sockets = new Set<Socket>();
    const hangUp = createServer((socket) => socket.once('data', () => socket.end()));
    const silent = createServer((socket) => sockets.add(socket));
    const [hangUpPort, silentPort] = [await listen(hangUp), await listen(silent)];
    const urlOn = (port: number) => `postgres://pipeline:${ENCODED}@127.0.0.1:${port}/spacex`;
    try {
      // The cause, as PostgreSQL or the network put it, after the server's address with the password masked.
      const cases = [
        { what: 'wrong port', url: urlOn(closedPort), cause: /connect ECONNREFUSED 127\.0\.0\.1:\d+/ },
        { what: 'wrong password', url: wrongPassword.toString(), cause: /password authentication failed for user "pipeline"/ },
        { what: 'no database', url: noDatabase.toString(), cause: /database "no_such_database" does not exist/, secret: realPassword },
        { what: 'server hangs up', url: urlOn(hangUpPort), cause: /Connection terminated unexpectedly/ },
        { what: 'server silent', url: urlOn(silentPort), cause: /timeout/i },
      ];
      const runs = cases.flatMap((c) => ['ingest', 'status'].map((command) => ({ ...c, command })));
      const results = await inBatches(runs, 5, (c) => runCli([c.command], cliEnv({ ...valid, DATABASE_URL: c.url }), 60_000));
      results.forEach((result, n) => {
        const c = runs[n];
        const named = /^spacex-pipeline: Cannot connect to PostgreSQL at postgres:\/\/pipeline:\*\*\*@127\.0\.0\.1:\d+\/\w+: /m.test(
          result.stderr,
        );
        expect({ what: c.what, command: c.command, code: result.code, cause: c.cause.test(result.stderr), named }).toEqual({
          what: c.what,
          command: c.command,
          code: 1,
          cause: true,
          named: true,
        });
        expectNoSecret(result);
        if (c.secret)
          expect({ what: c.what, leaked: (result.stdout + result.stderr).includes(c.secret) }).toEqual({ what: c.what, leaked: false });
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      hangUp.close();
      silent.close();
    }
  });
});

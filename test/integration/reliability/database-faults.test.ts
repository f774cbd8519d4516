/**
 * Database faults, on the suite's own PostgreSQL server (never the shared test server, which
 * other test files use at the same time): the server stopped in the middle of a backfill and
 * restarted, a connection killed under a run, and a connection limit reached.
 */
import path from 'node:path';
import pg from 'pg';
import { startLocalPostgres, type LocalPostgres } from '../../../infra/local/postgres';
import { backfill } from '../../../functions/core/pipeline/backfill';
import { RunFailed } from '../../../functions/core/pipeline/run';
import type { ResourceName } from '../../../functions/core/resources';
import { StoreError } from '../../../functions/core/errors';
import { RESOURCE_NAMES, runs } from '../../helpers/invariants';
import { cliEnv, createDatabaseOn, ensureCliBuilt, Harness, ROOT, runCli, snapshot } from '../../helpers/reliability';

const PORT = Number(process.env.RELIABILITY_PG_PORT ?? 54341);
const BEFORE_LAUNCHES: ResourceName[] = ['rockets', 'launchpads', 'landpads', 'payloads'];
const LAUNCHES_QUERY = '/v5/launches/query';

/** Everything that must come out the same whichever runs produced it (ids, run ids and clocks aside). */
async function comparableState(pool: pg.Pool): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  const rows = async (sql: string) => (await pool.query(sql)).rows;
  for (const name of RESOURCE_NAMES) {
    state[`raw_${name}`] = await rows(`SELECT id, content_hash, document FROM raw_${name} ORDER BY id, version_id`);
    state[name] = (await rows(`SELECT * FROM ${name} ORDER BY id`)).map(
      ({ version_id: _v, updated_at: _u, last_read_at: _r, ...rest }) => rest,
    );
  }
  state.launch_payloads = await rows('SELECT * FROM launch_payloads ORDER BY launch_id, position');
  state.launch_cores = await rows('SELECT * FROM launch_cores ORDER BY launch_id, position');
  state.launch_facts = await rows('SELECT * FROM launch_facts ORDER BY launch_id');
  state.launch_aggregates = (await rows('SELECT * FROM launch_aggregates')).map(({ updated_at: _u, ...rest }) => rest);
  state.launch_aggregates_by_year = (await rows('SELECT * FROM launch_aggregates_by_year ORDER BY year')).map(
    ({ updated_at: _u, ...rest }) => rest,
  );
  state.launch_aggregates_by_site = (await rows('SELECT * FROM launch_aggregates_by_site ORDER BY launchpad_id')).map(
    ({ updated_at: _u, ...rest }) => rest,
  );
  state.quarantine = await rows('SELECT entity, document_id, body_hash, reason FROM quarantine ORDER BY entity, body_hash');
  return state;
}

const until = async (condition: () => boolean, what: string, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('reliability: database faults', () => {
  let server: LocalPostgres;
  let password: string;

  beforeAll(async () => {
    server = await startLocalPostgres({ dir: path.join(ROOT, '.data/reliability-postgres'), port: PORT, database: 'postgres' });
    password = decodeURIComponent(new URL(server.url).password);
  });
  afterAll(() => {
    // Each case drops its databases (restarting the server first if it left it down); the
    // server itself stops with the suite, as the shared one does, unless asked to stay.
    if (!process.env.KEEP_TEST_POSTGRES) server?.stop();
  });

  it('PostgreSQL stopped mid-backfill: the run fails, nothing partial, the next run ends as an uninterrupted one', async () => {
    const h = await Harness.start({
      launches: 300,
      upcoming: 20,
      database: await createDatabaseOn(server.url),
      env: { SPACEX_API_PAGE_SIZE: '50' },
    });
    const control = await Harness.start({
      launches: 300,
      upcoming: 20,
      database: await createDatabaseOn(server.url),
      env: { SPACEX_API_PAGE_SIZE: '50' },
    });
    try {
      await h.backfill();
      await control.backfill();
      h.replay.advance(2);
      control.replay.advance(2);
      const launchesBefore = await snapshot(h.db.pool);

      // Page 3 of the launches is slow; the server goes down while the run waits for it.
      h.replay.setFaults([
        { match: LAUNCHES_QUERY, times: 2 },
        { match: LAUNCHES_QUERY, latencyMs: 2500 },
      ]);
      const running = h.failing('backfill', BEFORE_LAUNCHES);
      await until(() => h.replay.stats().faultsPending === 0, 'the slow page');
      server.stop();
      const failure = await running;
      expect(failure).toBeInstanceOf(RunFailed);
      expect(failure.message).not.toContain(password);
      server.start();

      // Nothing of the launches load is visible; the resources loaded before it are whole.
      const after = await snapshot(h.db.pool);
      for (const table of ['raw_launches', 'launches', 'launch_payloads', 'launch_cores'])
        expect({ table, rows: after[table] }).toEqual({ table, rows: launchesBefore[table] });
      expect(await h.count('SELECT count(*) FROM raw_launches WHERE run_id = $1', [failure.summary.runId])).toBe(0);
      const [record] = (await runs(h.db.pool)).filter((r) => r.run_id === failure.summary.runId);
      // The database was gone, so the run could not say so itself; the next run will.
      expect(['running', 'failed']).toContain(record.status);

      const next = await h.backfill();
      expect(next.status).toBe('succeeded');
      const [abandoned] = (await runs(h.db.pool)).filter((r) => r.run_id === failure.summary.runId);
      expect(abandoned).toMatchObject({ status: 'failed', error: expect.stringMatching(/abandoned|terminat|connection/i) });
      await h.expectInvariants();

      await control.backfill();
      await control.expectInvariants();
      expect(await comparableState(h.db.pool)).toEqual(await comparableState(control.db.pool));
    } finally {
      server.start();
      await h.close();
      await control.close();
    }
  });

  it('a connection killed under a run: the run is marked failed at once, nothing partial, the next run completes', async () => {
    const h = await Harness.start({ launches: 120, upcoming: 12, database: await createDatabaseOn(server.url) });
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      await h.backfill();
      h.replay.advance(1);
      const before = await snapshot(h.db.pool);
      h.replay.setFaults([{ match: '/v4/payloads/query', latencyMs: 1500 }]);
      const running = h.failing('ingest');
      await until(() => h.replay.stats().faultsPending === 0, 'the slow request');
      // The run's own connection, idle while the run waits on the API (it holds no transaction then).
      const pid = await h.count("SELECT (counts->>'backend_pid')::integer FROM pipeline_runs WHERE status = 'running'");
      const { rows } = await admin.query(
        "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE pid = $1 AND application_name = 'spacex-pipeline'",
        [pid],
      );
      expect(rows).toEqual([{ killed: true }]);
      const failure = await running;
      const [record] = (await runs(h.db.pool)).filter((r) => r.run_id === failure.summary.runId);
      expect(record).toMatchObject({ status: 'failed', error: expect.stringMatching(/terminat|connection/i) });
      const after = await snapshot(h.db.pool);
      expect(after).toEqual(before);
      await h.ingest();
      await h.expectInvariants();
    } finally {
      await admin.end();
      await h.close();
    }
  });

  it("a dead run whose backend's pid now belongs to a newer session is still found abandoned", async () => {
    const h = await Harness.start({ launches: 40, upcoming: 4, database: await createDatabaseOn(server.url) });
    const other = new pg.Client({ connectionString: h.db.url });
    try {
      await h.backfill();
      // A run that died an hour ago (with its server, say); its pid has since gone to a session
      // that started later. Simulated with the pid of a connection opened now.
      await other.connect();
      const {
        rows: [{ pid }],
      } = await other.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const {
        rows: [{ run_id: dead }],
      } = await h.db.pool.query<{ run_id: number }>(
        `INSERT INTO pipeline_runs (step, trigger, started_at, counts)
         VALUES ('ingest', 'died', now() - interval '1 hour', jsonb_build_object('backend_pid', $1::integer)) RETURNING run_id`,
        [pid],
      );
      await h.ingest();
      const [record] = (await runs(h.db.pool)).filter((r) => r.run_id === dead);
      expect(record).toMatchObject({ status: 'failed', error: expect.stringMatching(/^abandoned/) });
      await h.expectInvariants();
    } finally {
      await other.end();
      await h.close();
    }
  });

  it('the command line through an outage: exit 1 with a clear message, the password in no output, then recovery', async () => {
    ensureCliBuilt();
    const h = await Harness.start({
      launches: 200,
      upcoming: 10,
      database: await createDatabaseOn(server.url),
      env: { SPACEX_API_PAGE_SIZE: '50' },
    });
    try {
      const env = cliEnv({ DATABASE_URL: h.db.url, SPACEX_API_URL: h.replay.url, SPACEX_API_PAGE_SIZE: '50', LOG_LEVEL: 'trace' });
      h.replay.setFaults([
        { match: LAUNCHES_QUERY, times: 1 },
        { match: LAUNCHES_QUERY, latencyMs: 2500 },
      ]);
      const running = runCli(['backfill'], env);
      await until(() => h.replay.stats().faultsPending === 0, 'the slow page', 30_000);
      server.stop();
      const down = await runCli(['ingest'], env); // while the server is down
      const broken = await running;
      server.start();
      for (const result of [broken, down]) {
        expect({ args: result.args, code: result.code }).toEqual({ args: result.args, code: 1 });
        const output = result.stdout + result.stderr;
        expect(output).not.toContain(password);
        expect(output).not.toContain(encodeURIComponent(password));
      }
      expect(down.stderr).toMatch(
        /spacex-pipeline: Cannot connect to PostgreSQL at postgres:\/\/pipeline:\*\*\*@127\.0\.0\.1:\d+\/r_\w+: .*Check DATABASE_URL/,
      );
      expect(broken.stderr).toMatch(/spacex-pipeline: backfill run \d+ failed: /);

      const again = await runCli(['backfill'], env);
      expect({ code: again.code, stderr: again.stderr.includes(password) }).toEqual({ code: 0, stderr: false });
      const statuses = (await runs(h.db.pool)).filter((r) => r.step === 'backfill').map((r) => r.status);
      expect(statuses).toEqual(['failed', 'succeeded']);
      h.recorder.discard();
      // Runs in other processes: the truth is the source at its (unchanged) tick.
      expect(await h.violations({ history: undefined, rejected: undefined })).toEqual([]);
    } finally {
      server.start();
      await h.close();
    }
  });

  it('a connection limit reached: a clear error naming the server, then recovery when connections free up', async () => {
    const role = 'reliability_limited';
    const secret = 'Limited-Role-Secret-7f3a9c';
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    const base = await createDatabaseOn(server.url);
    const dbName = new URL(base.url).pathname.slice(1);
    await admin.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} LOGIN; END IF; END $$`);
    await admin.query(`ALTER ROLE ${role} LOGIN PASSWORD '${secret}' CONNECTION LIMIT 2`);
    await admin.query(`ALTER DATABASE ${dbName} OWNER TO ${role}`);
    const limitedUrl = new URL(base.url);
    limitedUrl.username = role;
    limitedUrl.password = secret;
    // The pipeline connects as the limited role; the checks use the server's own user.
    const h = await Harness.start({ launches: 80, upcoming: 8, database: { ...base, url: limitedUrl.toString() } });
    const holders = [
      new pg.Client({ connectionString: limitedUrl.toString() }),
      new pg.Client({ connectionString: limitedUrl.toString() }),
    ];
    try {
      for (const c of holders) await c.connect();
      const refused = await backfill(h.pipeline, 'test').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(StoreError);
      expect((refused as Error).message).toMatch(
        new RegExp(
          `^Cannot connect to PostgreSQL at postgres://${role}:\\*\\*\\*@127\\.0\\.0\\.1:${PORT}/${dbName}: ` +
            `too many connections for role "${role}"`,
        ),
      );
      expect((refused as Error).message).not.toContain(secret);
      expect(await h.count("SELECT count(*) FROM pg_tables WHERE tablename = 'pipeline_runs'")).toBe(0); // nothing ran

      ensureCliBuilt();
      const cli = await runCli(
        ['ingest'],
        cliEnv({ DATABASE_URL: limitedUrl.toString(), SPACEX_API_URL: h.replay.url, LOG_LEVEL: 'trace' }),
      );
      expect(cli.code).toBe(1);
      expect(cli.stderr).toMatch(/too many connections for role/);
      expect(cli.stdout + cli.stderr).not.toContain(secret);

      await holders.pop()!.end(); // one connection free: a run needs no more than one at a time
      await h.backfill();
      await holders.pop()!.end();
      h.replay.advance(1);
      await h.ingest();
      await h.expectInvariants();
    } finally {
      for (const c of holders) await c.end();
      await h.close();
      await admin.end();
    }
  });
});

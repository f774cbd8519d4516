import { readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { homedir } from 'node:os';
import path from 'node:path';
import { refreshAggregates } from '../../functions/core/pipeline/aggregate';
import { backfill } from '../../functions/core/pipeline/backfill';
import { closePipeline, createPipeline, type Pipeline } from '../../functions/core/pipeline/context';
import { ingest } from '../../functions/core/pipeline/ingest';
import { runQuery, trinoSettings } from '../../functions/core/query/trino';
import { PipelineError } from '../../functions/core/errors';
import { startReplayServer } from '../../infra/local/spacex-api/server';
import { trinoStatus, trinoUp } from '../../infra/local/trino';
import { BASELINE_QUESTIONS } from '../helpers/baseline-questions';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import type { LaunchDoc, PayloadDoc } from '../helpers/expected';
import { ensureTrino, TEST_TRINO_PORT } from '../helpers/trino';

/**
 * The four questions, run through a real Trino on PostgreSQL loaded by the pipeline, checked
 * against answers computed here from the generated documents and against the same questions
 * asked of PostgreSQL directly: first on one node, then on a coordinator with one worker
 * doing all the work (the same test port, restarted with another size).
 */
const ANALYTICS = path.resolve(__dirname, '../../sql/analytics');
const question = (file: string) => readFileSync(path.join(ANALYTICS, file), 'utf8');

const HOUR = 3_600_000;
const round = (x: unknown) => (x === null || x === undefined ? null : Number(Number(x).toPrecision(10)));
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const year = (iso: string) => new Date(iso).getUTCFullYear();

describe('analytics through Trino', () => {
  let db: TestDatabase;
  let replay: Awaited<ReturnType<typeof startReplayServer>>;
  let pipeline: Pipeline;
  const observations: LaunchDoc[][] = [];
  let launches: (LaunchDoc & { name: string; flight_number: number; launchpad: string })[];
  let mass: Map<string, number | null>;

  beforeAll(async () => {
    db = await createTestDatabase();
    replay = await startReplayServer({ port: 0, launches: 400, seed: 3, tickSeconds: 0 });
    pipeline = createPipeline({ DATABASE_URL: db.url, SPACEX_API_URL: replay.url }, { announce: refreshAggregates('test') });
    observations.push([...replay.dataset.launches()] as unknown as LaunchDoc[]);
    await backfill(pipeline, 'test');
    for (let tick = 0; tick < 3; tick++) {
      replay.advance(1);
      observations.push([...replay.dataset.launches()] as unknown as LaunchDoc[]);
      await ingest(pipeline, 'test');
    }
    launches = observations[observations.length - 1] as typeof launches;
    const payloads: PayloadDoc[] = Array.from({ length: replay.dataset.payloadCount }, (_, k) => replay.dataset.payload(k));
    mass = new Map(payloads.map((p) => [p.id, p.mass_kg]));
  }, 600_000);

  afterAll(async () => {
    await closePipeline(pipeline);
    await replay.close();
    await db.drop();
  });

  const postgres = async (sql: string) => (await db.pool.query(sql)).rows;
  const past = () => launches.filter((l) => !l.upcoming);
  const launchMass = (l: LaunchDoc) => {
    const known = [...new Set(l.payloads)].map((id) => mass.get(id)).filter((m): m is number => typeof m === 'number');
    return known.length ? known.reduce((a, b) => a + b, 0) : null;
  };

  describe.each([
    { nodes: 'one node', workers: 0 },
    { nodes: 'a coordinator and one worker', workers: 1 },
  ])('on $nodes', ({ workers }) => {
    let trinoUrl: string;
    beforeAll(async () => {
      trinoUrl = await ensureTrino(db.url, workers);
    }, 600_000);
    const trino = async (file: string) => (await runQuery(trinoSettings({ TRINO_URL: trinoUrl }), question(file))).rows;
    const system = async (sql: string) => (await runQuery(trinoSettings({ TRINO_URL: trinoUrl, TRINO_CATALOG: 'system' }), sql)).rows;

    if (workers > 0) {
      it('has its worker active beside the coordinator', async () => {
        const nodes = await system('SELECT node_id, http_uri, coordinator, state FROM runtime.nodes ORDER BY coordinator DESC');
        expect(nodes).toEqual([
          expect.objectContaining({ coordinator: true, state: 'active', http_uri: trinoUrl }),
          expect.objectContaining({ coordinator: false, state: 'active', node_id: `spacex-pipeline-${TEST_TRINO_PORT + 1}` }),
        ]);
      });
    }

    it('1: success rate by year, year over year', async () => {
      const years = [...new Set(past().map((l) => year(l.date_utc)))].sort();
      let previous: number | null = null;
      const expected = years.map((y) => {
        const of = past().filter((l) => year(l.date_utc) === y);
        const ok = of.filter((l) => l.success === true).length;
        const failed = of.filter((l) => l.success === false).length;
        const rate = ok + failed ? ok / (ok + failed) : null;
        const change = rate !== null && previous !== null ? rate - previous : null;
        previous = rate;
        return { year: y, launches: of.length, successful: ok, failed, success_rate: round(rate), change_vs_previous_year: round(change) };
      });
      const normalise = (rows: Record<string, unknown>[]) =>
        rows.map((r) => ({
          ...r,
          year: Number(r.year),
          launches: Number(r.launches),
          successful: Number(r.successful),
          failed: Number(r.failed),
          success_rate: round(r.success_rate),
          change_vs_previous_year: round(r.change_vs_previous_year),
        }));
      const viaTrino = normalise(await trino('1_success_rate_by_year.sql'));
      expect(viaTrino).toEqual(expected);
      const direct = normalise(await postgres(BASELINE_QUESTIONS['1_success_rate_by_year']));
      expect(direct).toEqual(viaTrino);
    });

    it('2: top 5 launches by total payload mass, all payloads counted', async () => {
      const expected = past()
        .map((l) => ({ l, total: launchMass(l) }))
        .filter((x): x is { l: (typeof launches)[number]; total: number } => x.total !== null)
        .sort((a, b) => b.total - a.total || Date.parse(a.l.date_utc) - Date.parse(b.l.date_utc) || a.l.flight_number - b.l.flight_number)
        .slice(0, 5)
        .map((x) => ({ flight_number: x.l.flight_number, name: x.l.name, total_payload_mass_kg: round(x.total) }));
      const rows = await trino('2_top_launches_by_payload_mass.sql');
      expect(
        rows.map((r) => ({ flight_number: Number(r.flight_number), name: r.name, total_payload_mass_kg: round(r.total_payload_mass_kg) })),
      ).toEqual(expected);
      const direct = await postgres(BASELINE_QUESTIONS['2_top_launches_by_payload_mass']);
      expect(direct.map((r) => ({ ...r, total_payload_mass_kg: round(r.total_payload_mass_kg) }))).toEqual(expected);
    });

    it('3: average and maximum delay in hours by year, for both measures', async () => {
      const baseline = new Map<string, number>();
      for (const o of observations)
        for (const l of o) if (l.upcoming) baseline.set(l.id, Math.min(baseline.get(l.id) ?? Infinity, Date.parse(l.date_utc)));
      const years = [...new Set(past().map((l) => year(l.date_utc)))].sort();
      const expected = years.map((y) => {
        const of = past().filter((l) => year(l.date_utc) === y);
        const slips = of.filter((l) => baseline.has(l.id)).map((l) => (Date.parse(l.date_utc) - baseline.get(l.id)!) / HOUR);
        const leads = of
          .filter((l) => l.static_fire_date_utc && Date.parse(l.static_fire_date_utc) <= Date.parse(l.date_utc))
          .map((l) => (Date.parse(l.date_utc) - Date.parse(l.static_fire_date_utc!)) / HOUR);
        return {
          year: y,
          avg_slip_hours: round(mean(slips)),
          max_slip_hours: round(slips.length ? Math.max(...slips) : null),
          slip_sample_size: slips.length,
          avg_static_fire_lead_hours: round(mean(leads)),
          max_static_fire_lead_hours: round(leads.length ? Math.max(...leads) : null),
          static_fire_sample_size: leads.length,
        };
      });
      expect(expected.some((e) => e.slip_sample_size > 0)).toBe(true);
      const normalise = (rows: Record<string, unknown>[]) =>
        rows.map((r) => ({
          year: Number(r.year),
          avg_slip_hours: round(r.avg_slip_hours),
          max_slip_hours: round(r.max_slip_hours),
          slip_sample_size: Number(r.slip_sample_size),
          avg_static_fire_lead_hours: round(r.avg_static_fire_lead_hours),
          max_static_fire_lead_hours: round(r.max_static_fire_lead_hours),
          static_fire_sample_size: Number(r.static_fire_sample_size),
        }));
      expect(normalise(await trino('3_delay_by_year.sql'))).toEqual(expected);
      const direct = await postgres(BASELINE_QUESTIONS['3_delay_by_year']);
      expect(normalise(direct)).toEqual(expected);
    });

    it('4: launches per launch site with the average payload mass per launch', async () => {
      const pads = replay.dataset.launchpads();
      const expected = pads
        .map((pad) => {
          const of = past().filter((l) => l.launchpad === pad.id);
          const masses = of.map(launchMass).filter((m): m is number => m !== null);
          return { site: pad.name, launches: of.length, avg_payload_mass_per_launch_kg: round(mean(masses)) };
        })
        .sort((a, b) => b.launches - a.launches || (a.site < b.site ? -1 : a.site > b.site ? 1 : 0));
      const normalise = (rows: Record<string, unknown>[]) =>
        rows.map((r) => ({
          site: r.site,
          launches: Number(r.launches),
          avg_payload_mass_per_launch_kg: round(r.avg_payload_mass_per_launch_kg),
        }));
      expect(normalise(await trino('4_launches_per_site.sql'))).toEqual(expected);
      const direct = await postgres(BASELINE_QUESTIONS['4_launches_per_site']);
      expect(normalise(direct)).toEqual(expected);
    });

    if (workers > 0) {
      it('ran the questions on the worker, not on the coordinator', async () => {
        // The questions' own tasks: system queries (these included) also scan every node.
        const byNode = await system(`
          SELECT t.node_id, count(*) AS tasks FROM runtime.tasks t JOIN runtime.queries q ON q.query_id = t.query_id
          WHERE q.query LIKE '%launch%' AND q.query NOT LIKE '%runtime.%' GROUP BY t.node_id`);
        expect(byNode).toEqual([{ node_id: `spacex-pipeline-${TEST_TRINO_PORT + 1}`, tasks: expect.any(Number) }]);
      });
    }
  });
});

describe('local Trino launcher', () => {
  const cacheDir = path.join(homedir(), '.cache', 'spacex-pipeline', 'trino');
  const listen = () =>
    new Promise<Server>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => resolve(server));
    });
  const portOf = (server: Server) => (server.address() as AddressInfo).port;
  const databaseUrl = 'postgres://u:p@127.0.0.1:5432/spacex';

  it.each([
    ['the coordinator', 0, 0, /^port (\d+) is taken by another program: stop it, or pick another --port$/],
    ['a worker', 1, -1, /^port (\d+) \(a worker: workers take the ports after --port\) is taken by another program/],
  ])('refuses a port taken by another program for %s, naming it', async (_, workers, offset, message) => {
    const taken = await listen();
    const port = portOf(taken) + offset;
    try {
      const error = await trinoUp({ databaseUrl, port, workers }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PipelineError);
      expect((error as Error).message).toMatch(message);
      expect(Number(message.exec((error as Error).message)![1])).toBe(portOf(taken));
      expect((await trinoStatus({ port })).running).toBe(false);
    } finally {
      taken.close();
      rmSync(path.join(cacheDir, 'instances', String(port)), { recursive: true, force: true });
    }
  });

  it('fails at once, naming the cause and stopping what it started, when the catalog cannot use its database', async () => {
    const wrong = new URL(process.env.TEST_DATABASE_URL!);
    wrong.password = 'not-the-password';
    const started = Date.now();
    const error = await trinoUp({ databaseUrl: wrong.toString(), port: TEST_TRINO_PORT }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as Error).message).toMatch(
      /started, but a query on the postgresql catalog fails: Trino \w+: .*password authentication failed/,
    );
    expect((error as Error).message).not.toContain('not-the-password');
    expect(Date.now() - started).toBeLessThan(180_000); // not the 5 minutes of a Trino that never gets ready
    expect((await trinoStatus({ port: TEST_TRINO_PORT })).running).toBe(false);
  }, 600_000);
});

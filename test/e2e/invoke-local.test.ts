/**
 * The handlers on the deployed runtime, Node 22 (fetched from the npm registry when the host runs
 * another Node), through `serverless invoke local` as the README runs it: each prints its EMF
 * metrics on stdout and log lines with the Lambda context on stderr, and does its step for real
 * against PostgreSQL and the replay source. Without an emulator there is no bus, so the loading
 * steps refresh the aggregates in-process (trigger `invoke-local`).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { NODE22_VERSION, node22, pathWithNode22 } from '../../infra/local/node22';
import { startReplayServer } from '../../infra/local/spacex-api/server';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const ROOT = path.resolve(__dirname, '../..');

describe('serverless invoke local, on Node 22', () => {
  let db: TestDatabase;
  let replay: Awaited<ReturnType<typeof startReplayServer>>;

  beforeAll(async () => {
    node22(); // fetched once into the cache; later runs find it there
    db = await createTestDatabase();
    replay = await startReplayServer({ port: 0, launches: 60, seed: 5, tickSeconds: 0 });
  }, 600_000);
  afterAll(async () => {
    await replay?.close();
    await db?.drop();
  });

  /** The README's line, verbatim but for the environment: this test's database and source. */
  async function invokeLocal(fn: string, event: string) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: pathWithNode22(),
      DATABASE_URL: db.url,
      SPACEX_API_URL: replay.url,
      LOG_LEVEL: 'info',
    };
    for (const name of ['AWS_ENDPOINT_URL', 'DATABASE_URL_SSM_PARAMETER', 'LOG_FORMAT', 'POWERTOOLS_METRICS_DISABLED']) delete env[name];
    // What the Lambda runtime sets, and Powertools reads to tell a cold start; invoke local does not.
    env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
    const { stdout, stderr } = await promisify(execFile)(
      'npx',
      ['serverless', 'invoke', 'local', '-f', fn, '--path', `test/events/${event}`],
      {
        cwd: ROOT,
        env,
        timeout: 240_000,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const lines = `${stdout}\n${stderr}`.split('\n').filter((l) => l.startsWith('{'));
    const parsed = lines.flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, any>];
      } catch {
        return [];
      }
    });
    return { emf: parsed.filter((j) => j._aws), logs: parsed.filter((j) => j.level && j.message), stdout };
  }
  const runs = async () => (await db.pool.query('SELECT step, trigger, status FROM pipeline_runs ORDER BY run_id')).rows;

  it('backfill: loads the history, refreshes the aggregates, prints metrics per resource and logs with the function context', async () => {
    const { emf, logs } = await invokeLocal('backfill', 'scheduled-event.json');
    expect(logs.find((l) => l.message === 'cold start')).toMatchObject({ node: `v${NODE22_VERSION}` });
    const succeeded = logs.find((l) => l.message === 'backfill run succeeded');
    expect(succeeded).toMatchObject({
      function_name: 'spacex-pipeline-local-backfill',
      function_version: expect.any(String),
      function_request_id: expect.any(String),
      cold_start: true,
      correlationId: expect.stringMatching(/^backfill#\d+$/),
    });
    const launches = emf.find((m) => m.resource === 'launches');
    expect(launches).toMatchObject({ step: 'backfill', DocumentsReceived: 60, DocumentsAppended: 60, DocumentsQuarantined: 0 });
    expect(launches?._aws.CloudWatchMetrics[0].Namespace).toBe('spacex-pipeline/local');
    expect(emf.find((m) => m.RunSucceeded === 1)).toMatchObject({ step: 'backfill', ChangedLaunches: 60, AggregateLag: 0 });
    expect(emf.some((m) => m.ColdStart === 1)).toBe(true);
    expect(await runs()).toEqual([
      { step: 'backfill', trigger: 'Scheduled Event', status: 'succeeded' },
      { step: 'aggregate', trigger: 'invoke-local', status: 'succeeded' },
    ]);
  }, 300_000);

  it('ingest: appends what the source changed and refreshes the aggregates', async () => {
    replay.advance(1);
    const { emf } = await invokeLocal('ingest', 'scheduled-event.json');
    expect(emf.find((m) => m.RunSucceeded === 1)).toMatchObject({ step: 'ingest', AggregateLag: 0 });
    expect((await runs()).slice(2)).toEqual([
      { step: 'ingest', trigger: 'Scheduled Event', status: 'succeeded' },
      { step: 'aggregate', trigger: 'invoke-local', status: 'succeeded' },
    ]);
  }, 300_000);

  it("aggregate: logs the event's correlation id; finds nothing new", async () => {
    const { emf, logs } = await invokeLocal('aggregate', 'launches-changed.json');
    expect(logs.find((l) => l.message === 'aggregate run succeeded')).toMatchObject({
      correlationId: 'ingest#42',
      function_name: 'spacex-pipeline-local-aggregate',
    });
    expect(emf.find((m) => m.RunSucceeded === 1)).toMatchObject({ step: 'aggregate', ChangedLaunches: 0, AggregateLag: 0 });
    expect((await runs()).slice(4)).toEqual([{ step: 'aggregate', trigger: 'event:ingest#42', status: 'succeeded' }]);
  }, 300_000);
});

/**
 * The stack deployed to MiniStack in the shape of prod: the database URL is an SSM SecureString
 * read through Powertools Parameters (the functions get no DATABASE_URL), EventBridge Scheduler
 * starts ingest, the bus has its archive, the alarms notify the SNS topic, failures go to the
 * encrypted queue. The functions run on Node 22 (ministackUp puts it first on MiniStack's PATH).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeArchiveCommand, DescribeReplayCommand, EventBridgeClient, StartReplayCommand } from '@aws-sdk/client-eventbridge';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { deployLocal, localBus, removeLocal } from '../../infra/local/deploy';
import { ministackDown, ministackUp } from '../../infra/local/ministack';
import { NODE22_VERSION } from '../../infra/local/node22';
import { MEASURES as MEASURE_LIST } from '../../functions/core/pipeline/aggregate';
import { backfill } from '../../functions/core/pipeline/backfill';
import { closePipeline, createPipeline } from '../../functions/core/pipeline/context';
import { startReplayServer } from '../../infra/local/spacex-api/server';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { expectedAggregates, expectMeasures, type LaunchDoc } from '../helpers/expected';

const ROOT = path.resolve(__dirname, '../..');
const MEASURES = MEASURE_LIST.join(', ');
const PARAMETER = '/spacex-pipeline/local/database-url';
const STACK = 'spacex-pipeline-local';
const ENDPOINT = `http://127.0.0.1:${process.env.MINISTACK_PORT || 4566}`;
const aws = { endpoint: ENDPOINT, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };

interface Run {
  run_id: number;
  step: string;
  trigger: string;
  status: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 150_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(2000);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('deployed to MiniStack, prod-shaped: Scheduler -> ingest -> event -> aggregate, archive replay, redrive', () => {
  let db: TestDatabase;
  let replay: Awaited<ReturnType<typeof startReplayServer>>;
  const observations: LaunchDoc[][] = [];
  const started = new Date();
  const env = () => ({ DATABASE_URL: '', DATABASE_URL_SSM_PARAMETER: PARAMETER, SPACEX_API_URL: replay.url, LOG_LEVEL: 'info' });
  const sqs = new SQSClient(aws);

  beforeAll(async () => {
    await ministackUp();
    db = await createTestDatabase();
    replay = await startReplayServer({ port: 0, launches: 200, seed: 11, tickSeconds: 0 });
    await new SSMClient(aws).send(new PutParameterCommand({ Name: PARAMETER, Type: 'SecureString', Value: db.url, Overwrite: true }));
    // History first (without aggregation), then the source moves on by one tick.
    observations.push([...replay.dataset.launches()] as unknown as LaunchDoc[]);
    const loader = createPipeline({ ...process.env, DATABASE_URL: db.url, SPACEX_API_URL: replay.url });
    await backfill(loader, 'test');
    await closePipeline(loader);
    replay.advance(1);
    observations.push([...replay.dataset.launches()] as unknown as LaunchDoc[]);
    await deployLocal({ stage: 'local', env: env(), ingestRate: 'rate(1 minute)' });
  }, 400_000);
  afterAll(async () => {
    await removeLocal({ stage: 'local', env: env() }).catch(() => undefined);
    await replay?.close();
    await db?.drop();
    await ministackDown();
  }, 120_000);

  const runs = async () => (await db.pool.query<Run>('SELECT run_id, step, trigger, status FROM pipeline_runs ORDER BY run_id')).rows;
  const state = async () => ({
    counts: (
      await db.pool.query(`SELECT (SELECT count(*) FROM raw_launches) AS launches, (SELECT count(*) FROM raw_payloads) AS payloads,
        (SELECT count(*) FROM launch_facts) AS facts`)
    ).rows[0],
    aggregates: (await db.pool.query(`SELECT ${MEASURES} FROM launch_aggregates`)).rows,
    byYear: (await db.pool.query('SELECT * FROM launch_aggregates_by_year ORDER BY year')).rows,
  });
  const logs = async (fn: string, pattern: string) =>
    (
      await new CloudWatchLogsClient(aws).send(
        new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${STACK}-${fn}`, filterPattern: pattern }),
      )
    ).events?.map((e) => e.message ?? '') ?? [];
  const queueUrl = async () => (await sqs.send(new GetQueueUrlCommand({ QueueName: `${STACK}-failed` }))).QueueUrl!;
  /** The bodies of the messages in the queue now (received without hiding them from the next receive). */
  const queued = async () => {
    const bodies = new Set<string>();
    for (let round = 0; round < 3; round++) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: await queueUrl(), MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 1 }),
      );
      for (const m of Messages) bodies.add(m.Body ?? '');
    }
    return [...bodies];
  };

  it('holds the prod wiring: URL from SSM, Scheduler with retries and dead letters, archive, alarms, encrypted queue', async () => {
    const config = await new LambdaClient(aws).send(new GetFunctionConfigurationCommand({ FunctionName: `${STACK}-ingest` }));
    expect(config.Environment?.Variables).toMatchObject({ DATABASE_URL: '', DATABASE_URL_SSM_PARAMETER: PARAMETER });
    expect(JSON.stringify(config.Environment?.Variables)).not.toContain(db.url);

    const schedule = await new SchedulerClient(aws).send(new GetScheduleCommand({ Name: `${STACK}-ingest` }));
    expect(schedule.ScheduleExpression).toBe('rate(1 minute)');
    expect(schedule.Target?.Arn).toBe(config.FunctionArn);
    expect(schedule.Target?.RetryPolicy?.MaximumRetryAttempts).toBe(2);
    expect(schedule.Target?.DeadLetterConfig?.Arn).toMatch(new RegExp(`:${STACK}-failed$`));

    const archive = await new EventBridgeClient(aws).send(new DescribeArchiveCommand({ ArchiveName: localBus.archive }));
    expect(archive.EventSourceArn).toMatch(new RegExp(`event-bus/${localBus.name}$`));

    const { MetricAlarms: alarms = [] } = await new CloudWatchClient(aws).send(new DescribeAlarmsCommand({ AlarmNamePrefix: STACK }));
    expect(alarms.map((a) => a.AlarmName).sort()).toEqual(
      ['aggregate-errors', 'aggregate-lag', 'backfill-errors', 'failed-invocations', 'ingest-errors', 'ingest-stale'].map(
        (n) => `${STACK}-${n}`,
      ),
    );
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([expect.stringMatching(new RegExp(`:${STACK}-alarms$`))]);

    const queue = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: await queueUrl(), AttributeNames: ['All'] }));
    expect(queue.Attributes?.SqsManagedSseEnabled).toBe('true');
  });

  it('fires ingest on its schedule; its event starts aggregate; the aggregates match the source; one id follows the change', async () => {
    let scheduled: Run | undefined;
    const aggregated = await eventually(
      'a scheduled ingest and the aggregate its event started',
      async () => {
        const all = await runs();
        scheduled = all.find((r) => r.step === 'ingest' && r.trigger === 'Scheduled Event' && r.status === 'succeeded');
        return (
          scheduled &&
          all.find((r) => r.step === 'aggregate' && r.trigger === `event:ingest#${scheduled!.run_id}` && r.status === 'succeeded')
        );
      },
      200_000,
    );
    expect(aggregated).toBeDefined();

    const payloads = Array.from({ length: replay.dataset.payloadCount }, (_, k) => replay.dataset.payload(k));
    const expected = expectedAggregates(observations, payloads);
    expectMeasures((await db.pool.query(`SELECT ${MEASURES} FROM launch_aggregates`)).rows[0], expected.overall);

    // The correlation id of the ingest run is in its own log lines and in aggregate's, with the Lambda context.
    const correlation = `"correlationId":"ingest#${scheduled!.run_id}"`;
    const someLogs = (fn: string, pattern: string) =>
      eventually(`${fn} logs matching ${pattern}`, async () =>
        ((lines) => (lines.length > 0 ? lines : undefined))(await logs(fn, pattern)),
      );
    const ingestLines = await someLogs('ingest', `"ingest#${scheduled!.run_id}"`);
    const aggregateLines = await someLogs('aggregate', `"ingest#${scheduled!.run_id}"`);
    for (const line of [...ingestLines, ...aggregateLines].filter((l) => l.includes('run succeeded'))) {
      expect(line).toContain(correlation);
      expect(JSON.parse(line.slice(line.indexOf('{')))).toMatchObject({
        function_request_id: expect.any(String),
        cold_start: expect.any(Boolean),
      });
    }
    expect(ingestLines.some((l) => l.includes('ingest run succeeded'))).toBe(true);
    expect(aggregateLines.some((l) => l.includes('aggregate run succeeded'))).toBe(true);
    // The workers run the deployed runtime, and the runs print their EMF metrics.
    expect((await someLogs('ingest', '"cold start"')).join('\n')).toContain(`"node":"v${NODE22_VERSION}"`);
    expect((await someLogs('ingest', 'RunSucceeded')).join('\n')).toContain('"Namespace":"spacex-pipeline/local"');
  }, 300_000);

  it('replays the archive onto the bus: aggregate runs again and changes nothing', async () => {
    const before = await state();
    const aggregateRuns = (await runs()).filter((r) => r.step === 'aggregate').length;
    const events = new EventBridgeClient(aws);
    const archive = await events.send(new DescribeArchiveCommand({ ArchiveName: localBus.archive }));
    const name = `e2e-${Date.now()}`;
    await events.send(
      new StartReplayCommand({
        ReplayName: name,
        EventSourceArn: archive.ArchiveArn,
        Destination: { Arn: archive.EventSourceArn },
        EventStartTime: started,
        EventEndTime: new Date(),
      }),
    );
    await eventually('the replay to complete', async () => {
      const { State } = await events.send(new DescribeReplayCommand({ ReplayName: name }));
      return State === 'COMPLETED' ? State : undefined;
    });
    const replayed = await eventually('aggregate runs of the replayed events', async () => {
      const later = (await runs()).filter((r) => r.step === 'aggregate');
      return later.length > aggregateRuns && later.slice(aggregateRuns).every((r) => r.status === 'succeeded') ? later : undefined;
    });
    expect(replayed.slice(aggregateRuns).every((r) => r.trigger.startsWith('event:'))).toBe(true);
    expect(await state()).toEqual(before);
  }, 200_000);

  it('redrive re-invokes failed invocations, deletes each once it succeeded, keeps what failed; current data stays', async () => {
    const url = await queueUrl();
    const lambda = new LambdaClient(aws);
    const arn = async (fn: string) =>
      (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `${STACK}-${fn}` }))).FunctionArn!;
    const lastIngest = (await runs()).filter((r) => r.step === 'ingest').pop()!;
    // What AWS puts in the queue: a Lambda on-failure destination record, and a Scheduler dead letter.
    // (MiniStack itself sends neither for schedule or bus invocations, so the test writes them.)
    const destinationRecord = (functionArn: string, requestPayload: unknown) =>
      JSON.stringify({
        version: '1.0',
        timestamp: new Date().toISOString(),
        requestContext: {
          requestId: 'e2e',
          functionArn: `${functionArn}:$LATEST`,
          condition: 'RetriesExhausted',
          approximateInvokeCount: 3,
        },
        requestPayload,
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      });
    const changed = { runId: lastIngest.run_id, step: 'ingest', changedLaunchIds: [], correlationId: `ingest#${lastIngest.run_id}` };
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: destinationRecord(await arn('aggregate'), {
          source: 'spacex-pipeline',
          'detail-type': 'launches.changed',
          detail: changed,
        }),
      }),
    );
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: '{"source":"aws.scheduler","detail-type":"Scheduled Event","schedule":"ingest"}',
        MessageAttributes: { TARGET_ARN: { DataType: 'String', StringValue: await arn('ingest') } },
      }),
    );
    const missing = (await arn('ingest')).replace(/ingest$/, 'missing');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: destinationRecord(missing, {}) }));
    const before = await state();
    const runCount = (await runs()).length;

    const result = await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'redrive', '--stage', 'local'], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: ENDPOINT,
      },
      timeout: 180_000,
    }).then(
      (r) => ({ code: 0, ...r }),
      (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
    );
    expect(result.code).toBe(1); // one message could not be redriven: it stays
    expect(result.stderr).toContain('2 redriven, 1 failed, 0 unreadable');
    expect(result.stderr).toContain(missing);
    const left = await queued();
    expect(left).toHaveLength(1);
    expect(left[0]).toContain(missing);

    // The schedule keeps firing meanwhile, so other ingest runs may sit among these.
    const redriven = (await runs()).slice(runCount).map((r) => `${r.step} ${r.trigger} ${r.status}`);
    expect(redriven.filter((r) => r.startsWith('aggregate'))).toEqual([`aggregate event:ingest#${lastIngest.run_id} succeeded`]);
    expect(redriven).toContain('ingest Scheduled Event succeeded');
    expect(redriven.filter((r) => !r.endsWith('succeeded'))).toEqual([]);
    expect(await state()).toEqual(before);
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
  }, 240_000);
});

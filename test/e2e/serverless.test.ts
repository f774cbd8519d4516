import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deployLocal, removeLocal } from '../../infra/local/deploy';
import { ministackDown, ministackUp } from '../../infra/local/ministack';
import { MEASURES as MEASURE_LIST } from '../../functions/core/pipeline/aggregate';
import { backfill } from '../../functions/core/pipeline/backfill';
import { closePipeline, createPipeline } from '../../functions/core/pipeline/context';
import { startReplayServer } from '../../infra/local/spacex-api/server';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { expectedAggregates, expectMeasures, type LaunchDoc } from '../helpers/expected';

const ROOT = path.resolve(__dirname, '../..');
const MEASURES = MEASURE_LIST.join(', ');

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };

describe('serverless.yml, prod stage, packaged offline', () => {
  let template: Template;
  let templateText: string;

  beforeAll(() => {
    const out = mkdtempSync(path.join(tmpdir(), 'sls-prod-'));
    const result = spawnSync(path.join(ROOT, 'node_modules/.bin/serverless'), ['package', '--stage', 'prod', '--package', out], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 240_000,
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', DATABASE_URL: '' },
    });
    if (result.status !== 0) throw new Error(`serverless package failed:\n${result.stdout}\n${result.stderr}`);
    templateText = readFileSync(path.join(out, 'cloudformation-template-update-stack.json'), 'utf8');
    template = JSON.parse(templateText);
    rmSync(out, { recursive: true, force: true });
  }, 300_000);

  const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);

  it('has the pipeline bus, the schedules and the rule that starts aggregate', () => {
    expect(ofType('AWS::Events::EventBus').map(([, r]) => r.Properties.Name)).toEqual(['spacex-pipeline-prod']);
    const rules = ofType('AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(
      rules
        .map((r) => r.ScheduleExpression)
        .filter(Boolean)
        .sort(),
    ).toEqual(['cron(0 3 * * ? *)', 'rate(5 minutes)']);
    const patterned = rules.filter((r) => r.EventPattern);
    expect(patterned).toHaveLength(1);
    expect(patterned[0].EventPattern).toEqual({ source: ['spacex-pipeline'], 'detail-type': ['launches.changed'] });
    expect(JSON.stringify(patterned[0].EventBusName)).toContain('PipelineEventBus');
  });

  it('gives each function its own role, scoped to named resources', () => {
    const roles = ofType('AWS::IAM::Role');
    expect(roles.map(([name]) => name).sort()).toEqual(['AggregateRole', 'BackfillRole', 'IngestRole']);
    for (const [name, role] of roles) {
      for (const policy of role.Properties.Policies) {
        for (const statement of policy.PolicyDocument.Statement) {
          expect({ role: name, resource: statement.Resource }).not.toEqual({ role: name, resource: '*' });
          expect(JSON.stringify(statement.Action)).not.toMatch(/"\w+:\*"/);
        }
      }
    }
    const actions = (role: string) =>
      template.Resources[role].Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()));
    expect(actions('IngestRole')).toContain('events:PutEvents');
    expect(actions('BackfillRole')).toContain('events:PutEvents');
    expect(actions('AggregateRole')).not.toContain('events:PutEvents');
    const putEvents = template.Resources.IngestRole.Properties.Policies[0].PolicyDocument.Statement.find(
      (s: any) => s.Action === 'events:PutEvents',
    );
    expect(putEvents.Resource).toEqual({ 'Fn::GetAtt': ['PipelineEventBus', 'Arn'] });
  });

  it('retries async invocations and keeps failures in a queue; logs expire', () => {
    const configs = ofType('AWS::Lambda::EventInvokeConfig').map(([, r]) => r.Properties);
    expect(configs).toHaveLength(3);
    for (const c of configs) {
      expect(c.MaximumRetryAttempts).toBe(2);
      expect(JSON.stringify(c.DestinationConfig.OnFailure)).toContain('FailedInvocationsQueue');
    }
    for (const [, group] of ofType('AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(30);
  });

  it('holds no secret in plain text: the database URL comes from SSM at run time', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      const env = fn.Properties.Environment.Variables;
      expect(env.DATABASE_URL).toBe('');
      expect(env.DATABASE_URL_SSM_PARAMETER).toBe('/spacex-pipeline/prod/database-url');
    }
    expect(templateText).not.toMatch(/postgres(ql)?:\/\/[^"]*:[^"]*@/);
    expect(templateText).not.toMatch(/password/i);
  });
});

describe('deployed to MiniStack: schedule -> ingest -> event -> aggregate', () => {
  let db: TestDatabase;
  let replay: Awaited<ReturnType<typeof startReplayServer>>;
  const env = () => ({ DATABASE_URL: db.url, SPACEX_API_URL: replay.url, LOG_LEVEL: 'info' });

  beforeAll(async () => {
    await ministackUp();
    db = await createTestDatabase();
    replay = await startReplayServer({ port: 0, launches: 200, seed: 11, tickSeconds: 0 });
  }, 300_000);
  afterAll(async () => {
    await removeLocal({ stage: 'local', env: env() }).catch(() => undefined);
    await replay?.close();
    await db?.drop();
    await ministackDown();
  }, 120_000);

  const runs = async () =>
    (await db.pool.query('SELECT run_id, step, trigger, status FROM pipeline_runs ORDER BY run_id')).rows as {
      run_id: number;
      step: string;
      trigger: string;
      status: string;
    }[];

  it('fires ingest on its schedule; its event starts aggregate; the aggregates match the source', async () => {
    // History first (without aggregation), then the source moves on by one tick.
    const observations: LaunchDoc[][] = [[...replay.dataset.launches()] as unknown as LaunchDoc[]];
    const loader = createPipeline(env());
    await backfill(loader, 'test');
    await closePipeline(loader);
    replay.advance(1);
    observations.push([...replay.dataset.launches()] as unknown as LaunchDoc[]);

    await deployLocal({ stage: 'local', env: env(), ingestRate: 'rate(1 minute)' });

    const deadline = Date.now() + 200_000;
    let scheduled: { run_id: number } | undefined;
    let aggregated: { run_id: number; trigger: string } | undefined;
    while (Date.now() < deadline && !aggregated) {
      await new Promise((r) => setTimeout(r, 3000));
      const all = await runs();
      scheduled = all.find((r) => r.step === 'ingest' && r.trigger === 'Scheduled Event' && r.status === 'succeeded');
      aggregated =
        scheduled &&
        all.find((r) => r.step === 'aggregate' && r.trigger === `event:ingest#${scheduled!.run_id}` && r.status === 'succeeded');
    }
    expect(scheduled).toBeDefined();
    expect(aggregated).toBeDefined();

    const payloads = Array.from({ length: replay.dataset.payloadCount }, (_, k) => replay.dataset.payload(k));
    const expected = expectedAggregates(observations, payloads);
    expectMeasures((await db.pool.query(`SELECT ${MEASURES} FROM launch_aggregates`)).rows[0], expected.overall);
  }, 300_000);

  it('redeploys without change and without duplicating anything', async () => {
    const counts = async () =>
      (await db.pool.query('SELECT (SELECT count(*) FROM raw_launches) AS launches, (SELECT count(*) FROM raw_payloads) AS payloads'))
        .rows[0];
    const before = await counts();
    const aggregates = (await db.pool.query(`SELECT ${MEASURES} FROM launch_aggregates`)).rows;
    await deployLocal({ stage: 'local', env: env(), ingestRate: 'rate(1 minute)' });
    expect(await counts()).toEqual(before);
    expect((await db.pool.query(`SELECT ${MEASURES} FROM launch_aggregates`)).rows).toEqual(aggregates);
    await removeLocal({ stage: 'local', env: env() });
  }, 300_000);
});

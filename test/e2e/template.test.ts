/**
 * The prod stage as `serverless package --stage prod` writes it, offline: what the template holds,
 * how big the bundles are, and the infrastructure checks of CI (cfn-lint, checkov).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { iacTools } from '../helpers/iac';

const ROOT = path.resolve(__dirname, '../..');
type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, any> };
type Template = { Resources: Record<string, Resource> };

/** Uncompressed sizes of a zip's entries, from its central directory (no unzip needed). */
function zipEntries(file: string): Map<string, number> {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entries = new Map<string, number>();
  let at = zip.readUInt32LE(end + 16);
  for (let n = zip.readUInt16LE(end + 10); n > 0; n--) {
    const nameLength = zip.readUInt16LE(at + 28);
    entries.set(zip.toString('utf8', at + 46, at + 46 + nameLength), zip.readUInt32LE(at + 24));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

describe('serverless.yml, prod stage, packaged offline', () => {
  let out: string;
  let templateFile: string;
  let template: Template;
  let templateText: string;

  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), 'sls-prod-'));
    const result = spawnSync(path.join(ROOT, 'node_modules/.bin/serverless'), ['package', '--stage', 'prod', '--package', out], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 240_000,
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', DATABASE_URL: '' },
    });
    if (result.status !== 0) throw new Error(`serverless package failed:\n${result.stdout}\n${result.stderr}`);
    templateFile = path.join(out, 'cloudformation-template-update-stack.json');
    templateText = readFileSync(templateFile, 'utf8');
    template = JSON.parse(templateText);
  }, 300_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
  const getAtt = (resource: string) => ({ 'Fn::GetAtt': [resource, 'Arn'] });

  it('starts ingest and backfill from EventBridge Scheduler, with retries and a dead-letter queue; the bus rule starts aggregate', () => {
    const schedules: Record<string, Resource> = Object.fromEntries(
      ofType('AWS::Scheduler::Schedule').map(([, r]) => [r.Properties.Target.Arn['Fn::GetAtt'][0], r]),
    );
    expect(Object.keys(schedules).sort()).toEqual(['BackfillLambdaFunction', 'IngestLambdaFunction']);
    expect(schedules.IngestLambdaFunction.Properties.ScheduleExpression).toBe('rate(5 minutes)');
    expect(schedules.BackfillLambdaFunction.Properties.ScheduleExpression).toBe('cron(0 3 * * ? *)');
    for (const { Properties: p } of Object.values(schedules)) {
      expect(p.Target.RoleArn).toEqual(getAtt('SchedulerRole'));
      expect(p.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(p.Target.DeadLetterConfig.Arn).toEqual(getAtt('FailedInvocationsQueue'));
    }
    // The scheduler may invoke those two functions and nothing else.
    const statements = template.Resources.SchedulerRole.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    expect(statements.find((s: any) => s.Action === 'lambda:InvokeFunction').Resource).toEqual([
      getAtt('IngestLambdaFunction'),
      getAtt('BackfillLambdaFunction'),
    ]);

    const rules = ofType('AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(rules.filter((r) => r.ScheduleExpression)).toEqual([]);
    expect(rules).toHaveLength(1);
    expect(rules[0].EventPattern).toEqual({ source: ['spacex-pipeline'], 'detail-type': ['launches.changed'] });
    expect(JSON.stringify(rules[0].EventBusName)).toContain('PipelineEventBus');
    expect(ofType('AWS::Events::EventBus').map(([, r]) => r.Properties.Name)).toEqual(['spacex-pipeline-prod']);
  });

  it('reserves no concurrency, so the stack deploys on a new account', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('gives each function its own role, scoped to named resources', () => {
    const roles = ofType('AWS::IAM::Role');
    expect(roles.map(([name]) => name).sort()).toEqual(['AggregateRole', 'BackfillRole', 'IngestRole', 'SchedulerRole']);
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
  });

  it('notifies the alarm topic from every alarm: errors, the failure queue, freshness and aggregate lag', () => {
    const alarms = Object.fromEntries(ofType('AWS::CloudWatch::Alarm').map(([name, r]) => [name, r.Properties]));
    for (const alarm of Object.values(alarms)) expect(alarm.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
    expect(Object.values(alarms).filter((a) => a.MetricName === 'Errors')).toHaveLength(3);
    expect(alarms.FailedInvocationsAlarm).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['FailedInvocationsQueue', 'QueueName'] } }],
    });
    // The dimensions the functions' EMF metrics carry (functions/lambda/observe.ts).
    const ingestMetric = [
      { Name: 'service', Value: 'spacex-pipeline' },
      { Name: 'step', Value: 'ingest' },
    ];
    expect(alarms.IngestFreshnessAlarm).toMatchObject({
      Namespace: 'spacex-pipeline/prod',
      MetricName: 'RunSucceeded',
      Dimensions: ingestMetric,
      Period: 300,
      EvaluationPeriods: 3,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    expect(alarms.AggregateLagAlarm).toMatchObject({
      Namespace: 'spacex-pipeline/prod',
      MetricName: 'AggregateLag',
      Dimensions: ingestMetric,
    });
    expect(ofType('AWS::SNS::Topic')).toHaveLength(1);
  });

  it('archives the bus, encrypts the failure queue, retries async invocations into it; logs expire', () => {
    expect(ofType('AWS::Events::Archive').map(([, r]) => r.Properties)).toEqual([
      expect.objectContaining({ SourceArn: getAtt('PipelineEventBus'), RetentionDays: 30 }),
    ]);
    expect(template.Resources.FailedInvocationsQueue.Properties.SqsManagedSseEnabled).toBe(true);
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
      expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe('spacex-pipeline/prod');
    }
    expect(templateText).not.toMatch(/postgres(ql)?:\/\/[^"]*:[^"]*@/);
    expect(templateText).not.toMatch(/password/i);
  });

  it('keeps every bundle under 1 MB', () => {
    const zips = readdirSync(out).filter((f) => f.endsWith('.zip'));
    expect(zips.sort()).toEqual(['aggregate.zip', 'backfill.zip', 'ingest.zip']);
    for (const zip of zips) {
      const bundle = zipEntries(path.join(out, zip)).get(`functions/${zip.replace('.zip', '.js')}`);
      expect({ zip, under1MB: (bundle ?? Number.POSITIVE_INFINITY) < 1_000_000 }).toEqual({ zip, under1MB: true });
    }
  });

  describe('infrastructure checks', () => {
    let tools: ReturnType<typeof iacTools>;
    beforeAll(() => {
      tools = iacTools();
    }, 900_000);

    it('cfn-lint: no errors, no warnings', () => {
      const result = spawnSync(tools.cfnLint, [templateFile], { encoding: 'utf8', timeout: 120_000 });
      expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
      expect(result.status).toBe(0);
    });

    it('checkov: nothing failed, every skip gives its reason in the template', () => {
      const output = execFileSync(
        tools.checkov,
        ['-f', templateFile, '--framework', 'cloudformation', '--skip-download', '-o', 'json', '--soft-fail'],
        { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'ignore'] },
      );
      const report = JSON.parse(output);
      expect(report.summary.parsing_errors).toBe(0);
      expect(report.results.failed_checks.map((c: any) => `${c.check_id} ${c.resource}`)).toEqual([]);
      expect(report.summary.passed).toBeGreaterThan(40);
      for (const skipped of report.results.skipped_checks) {
        expect({ check: skipped.check_id, reason: (skipped.check_result.suppress_comment ?? '').length > 20 }).toEqual({
          check: skipped.check_id,
          reason: true,
        });
      }
    });
  });
});

/**
 * Deploys serverless.yml to MiniStack (stage `local`) with the project's own osls binary:
 * a plain `serverless deploy --stage local`, where serverless-localstack (active on that
 * stage only) sends every AWS call to the emulator. One deploy at a time per checkout:
 * they share the .esbuild and .serverless folders and the stack.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface LocalDeployOptions {
  /** Only `local` is wired to the emulator; any other stage would deploy to real AWS. */
  stage: 'local';
  /**
   * Values the functions receive (see params.local in serverless.yml). With
   * DATABASE_URL_SSM_PARAMETER (and DATABASE_URL ''), the functions read the URL from that SSM
   * SecureString through Powertools Parameters, as on prod: the prod-shaped stage.
   */
  env: {
    DATABASE_URL: string;
    SPACEX_API_URL: string;
    LOG_LEVEL?: string;
    DATABASE_URL_SSM_PARAMETER?: string;
    ALARM_EMAIL?: string;
  };
  /** Schedule of ingest, e.g. 'rate(1 minute)'; default rate(5 minutes). */
  ingestRate?: string;
  /** Schedule of backfill; default daily. */
  backfillSchedule?: string;
  /** MiniStack endpoint; default http://127.0.0.1:$MINISTACK_PORT (4566). */
  endpoint?: string;
  /** Folder holding serverless.yml; default the repository root. */
  serviceDir?: string;
  /** Hard limit for the whole command; default 3 minutes. */
  timeoutMs?: number;
  log?: (message: string) => void;
}

export type LocalRemoveOptions = Omit<LocalDeployOptions, 'env' | 'ingestRate' | 'backfillSchedule'> &
  Partial<Pick<LocalDeployOptions, 'env'>>;

/** The nearest folder above this file with a serverless.yml: works from source and from a bundle. */
function findServiceDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'serverless.yml'))) return dir;
  }
  throw new Error(`no serverless.yml above ${__dirname}`);
}

/** After osls prints success the process must end soon; a live child (esbuild) can keep it. */
const EXIT_GRACE_MS = 10_000;

export async function deployLocal(opts: LocalDeployOptions): Promise<void> {
  const vars: NodeJS.ProcessEnv = { ...opts.env };
  if (opts.ingestRate) vars.INGEST_RATE = opts.ingestRate;
  if (opts.backfillSchedule) vars.BACKFILL_SCHEDULE = opts.backfillSchedule;
  await runServerless(['deploy', '--stage', opts.stage], vars, opts, /Service deployed to stack|No changes to deploy/);
  await ensureArchive(opts);
}

/** The bus and its archive as serverless.yml names them on the local stage. */
export const localBus = { name: 'spacex-pipeline-local', archive: 'spacex-pipeline-local', retentionDays: 1 };

/**
 * MiniStack's CloudFormation has no AWS::Events::Archive (params.local.archiveInTemplate is
 * false): the archive the template gives AWS stages is created here through the EventBridge API,
 * with the same name and source, so replays work the same on the emulator.
 */
async function ensureArchive(opts: Pick<LocalDeployOptions, 'endpoint' | 'log'>): Promise<void> {
  const { client, sdk } = await eventBridge(opts.endpoint);
  const bus = await client.send(new sdk.DescribeEventBusCommand({ Name: localBus.name }));
  try {
    await client.send(
      new sdk.CreateArchiveCommand({ ArchiveName: localBus.archive, EventSourceArn: bus.Arn, RetentionDays: localBus.retentionDays }),
    );
    opts.log?.(`archive ${localBus.archive} created on ${bus.Arn}`);
  } catch (error) {
    if ((error as Error).name !== 'ResourceAlreadyExistsException') throw error;
  }
}

async function deleteArchive(opts: Pick<LocalDeployOptions, 'endpoint'>): Promise<void> {
  const { client, sdk } = await eventBridge(opts.endpoint);
  await client.send(new sdk.DeleteArchiveCommand({ ArchiveName: localBus.archive })).catch(() => undefined);
}

async function eventBridge(endpoint = defaultEndpoint()) {
  const sdk = await import('@aws-sdk/client-eventbridge');
  const client = new sdk.EventBridgeClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return { client, sdk };
}

const defaultEndpoint = () => `http://127.0.0.1:${process.env.MINISTACK_PORT || 4566}`;

/** Deletes the stack; a stack that is already gone counts as removed. */
export async function removeLocal(opts: LocalRemoveOptions): Promise<void> {
  try {
    await deleteArchive(opts);
    await runServerless(['remove', '--stage', opts.stage], { ...opts.env }, opts, /has been successfully removed/);
  } catch (err) {
    if (!/does not exist/.test(String(err))) throw err;
  }
}

/** Variables serverless.yml reads on the local stage: only the options may set them. */
const CONFIG_VARS = [
  'DATABASE_URL',
  'DATABASE_URL_SSM_PARAMETER',
  'SPACEX_API_URL',
  'LOG_LEVEL',
  'ALARM_EMAIL',
  'INGEST_RATE',
  'BACKFILL_SCHEDULE',
];

/**
 * The environment osls runs with: the caller's (PATH, HOME...) minus any real AWS identity
 * and stray configuration, plus the emulator's test credentials. AWS_ENDPOINT_URL gives
 * serverless-localstack the port.
 */
function serverlessEnv(endpoint: string, vars: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SESSION_TOKEN', ...CONFIG_VARS]) delete env[name];
  return {
    ...env,
    ...vars,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: endpoint,
  };
}

function runServerless(
  args: string[],
  vars: NodeJS.ProcessEnv,
  opts: Pick<LocalDeployOptions, 'stage' | 'endpoint' | 'serviceDir' | 'timeoutMs' | 'log'>,
  success: RegExp,
): Promise<void> {
  if (opts.stage !== 'local') throw new Error(`refusing stage "${opts.stage}": only "local" targets the emulator`);
  const serviceDir = opts.serviceDir ?? findServiceDir();
  const log = opts.log ?? (() => {});
  const bin = join(serviceDir, 'node_modules', '.bin', 'serverless');
  const env = serverlessEnv(opts.endpoint ?? defaultEndpoint(), vars);
  const timeoutMs = opts.timeoutMs ?? 180_000;
  const started = Date.now();
  log(`serverless ${args.join(' ')}`);

  return new Promise((resolvePromise, reject) => {
    // Own process group, so a hang can be ended together with esbuild and other children.
    const child = spawn(bin, args, { cwd: serviceDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let succeeded = false;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      if (err) reject(err);
      else {
        log(`serverless ${args[0]} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        resolvePromise();
      }
    };
    const onOutput = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) if (line.trim()) log(line);
      if (!succeeded && success.test(output)) {
        succeeded = true;
        timers.push(
          setTimeout(() => {
            log(`serverless ${args[0]} succeeded but did not exit; killing it`);
            killGroup();
            settle();
          }, EXIT_GRACE_MS),
        );
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('error', (err) => settle(err));
    child.on('exit', (code, signal) => {
      if (code === 0 || succeeded) settle();
      else settle(new Error(`serverless ${args.join(' ')} failed (${code ?? signal}):\n${output.slice(-4000)}`));
    });
    timers.push(
      setTimeout(() => {
        killGroup();
        settle(new Error(`serverless ${args.join(' ')} timed out after ${timeoutMs} ms:\n${output.slice(-4000)}`));
      }, timeoutMs),
    );
  });
}

import { deployLocal, removeLocal } from '../../infra/local/deploy';
import { ministackDown, ministackUp } from '../../infra/local/ministack';
import { startLocalDefaults } from './local';

interface StackOptions {
  launches: number;
  tickSeconds: number;
  ingestRate: string;
}

const say = (text: string) => process.stdout.write(`${text}\n`);

/**
 * The serverless deployment without Docker: MiniStack (installed into a cached virtualenv),
 * PostgreSQL (embedded unless DATABASE_URL is set) and the replay source (unless
 * SPACEX_API_URL is set), then `serverless deploy --stage local`. It stays up, with the
 * schedules firing, until Ctrl-C, which removes the stack and stops what it started.
 */
export async function runStack(options: StackOptions): Promise<void> {
  const { replay, env, stop } = await startLocalDefaults({ launches: options.launches, tickSeconds: options.tickSeconds });
  try {
    say('Starting MiniStack (the first start installs it into a virtualenv)...');
    const { endpoint } = await ministackUp({ log: (m) => process.stderr.write(`${m}\n`) });
    say(`Deploying the stack to ${endpoint} (ingest ${options.ingestRate})...`);
    await deployLocal({ stage: 'local', env, ingestRate: options.ingestRate, log: (m) => process.stderr.write(`${m}\n`) });
    say(`Deployed. Source: ${env.SPACEX_API_URL}${replay ? ` (replay, a tick every ${options.tickSeconds} s)` : ''}.`);
    say('Watch it with `spacex-pipeline status` (same DATABASE_URL); Ctrl-C removes the stack.');
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()).once('SIGTERM', () => resolve()));
    say('Removing the stack...');
    await removeLocal({ stage: 'local', env });
  } finally {
    await ministackDown().catch(() => undefined);
    await stop();
  }
}

import { deployLocal, removeLocal } from '../../infra/local/deploy';
import { ministackDown, ministackUp } from '../../infra/local/ministack';
import { exportLines, startLocalDefaults } from './local';
import { onShutdown, untilStopped } from './shutdown';

interface StackOptions {
  launches: number;
  tickSeconds: number;
  ingestRate: string;
  pgPort: number;
}

const say = (text: string) => process.stdout.write(`${text}\n`);

/**
 * The serverless deployment without Docker: MiniStack (installed into a cached virtualenv),
 * PostgreSQL (embedded unless DATABASE_URL is set) and the replay source (unless
 * SPACEX_API_URL is set), then `serverless deploy --stage local`. It stays up, with the
 * schedules firing, until Ctrl-C or SIGTERM, which removes the stack and stops what it started.
 */
export async function runStack(options: StackOptions): Promise<void> {
  const { database, replay, env, stop } = await startLocalDefaults({
    launches: options.launches,
    tickSeconds: options.tickSeconds,
    pgPort: options.pgPort,
  });
  const log = (m: string) => process.stderr.write(`${m}\n`);
  try {
    say('Starting MiniStack (the first start installs it into a virtualenv)...');
    const stopMinistack = onShutdown('MiniStack', () => ministackDown());
    try {
      const { endpoint } = await ministackUp({ log });
      say(`Deploying the stack to ${endpoint} (ingest ${options.ingestRate})...`);
      await deployLocal({ stage: 'local', env, ingestRate: options.ingestRate, log });
      say(
        `Deployed to MiniStack at ${endpoint}. ` +
          `Source: ${env.SPACEX_API_URL}${replay ? ` (replay, a tick every ${options.tickSeconds} s)` : ''}.`,
      );
      say('For the CLI, psql or the AWS CLI in another shell:');
      say(
        exportLines({
          DATABASE_URL: database?.exported,
          SPACEX_API_URL: replay?.url,
          AWS_ENDPOINT_URL: endpoint,
        }),
      );
      say('Watch it with `npx spacex-pipeline status`; Ctrl-C removes the stack.');
      await untilStopped();
      say('Removing the stack...');
      await removeLocal({ stage: 'local', env });
    } finally {
      await stopMinistack().catch(() => undefined);
    }
  } finally {
    await stop();
  }
}

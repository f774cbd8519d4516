import path from 'node:path';
import { deployLocal, removeLocal } from '../../infra/local/deploy';
import { ministackDown, ministackUp } from '../../infra/local/ministack';
import { startLocalPostgres } from '../../infra/local/postgres';
import { startReplayServer } from '../core/replay/server';
import { resumeReplayClock, saveReplayClock } from './demo';

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
  const postgres = process.env.DATABASE_URL
    ? undefined
    : await startLocalPostgres({ dir: path.resolve('.data/postgres'), port: Number(process.env.DEMO_PG_PORT ?? 54320) });
  const replay = process.env.SPACEX_API_URL
    ? undefined
    : await startReplayServer({ port: 0, launches: options.launches, tickSeconds: options.tickSeconds });
  // Only the embedded database carries the replay's history; a user's own keeps its own.
  const resumable = replay && postgres;
  if (resumable) resumeReplayClock(replay);
  const env = { DATABASE_URL: process.env.DATABASE_URL ?? postgres!.url, SPACEX_API_URL: process.env.SPACEX_API_URL ?? replay!.url };
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
    if (resumable) saveReplayClock(replay);
    await ministackDown().catch(() => undefined);
    await replay?.close();
    postgres?.stop();
  }
}

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startLocalPostgres, type LocalPostgres } from '../../infra/local/postgres';
import { startReplayServer, type ReplayServer } from '../../infra/local/spacex-api/server';

const DATA_DIR = path.resolve('.data');
const REPLAY_CLOCK = path.join(DATA_DIR, 'demo.json');

export interface LocalDefaults {
  /** Started here unless DATABASE_URL is set. */
  postgres?: LocalPostgres;
  /** Started here unless SPACEX_API_URL is set. */
  replay?: ReplayServer;
  env: { DATABASE_URL: string; SPACEX_API_URL: string };
  /** Records where the replay clock stands (see below); a no-op without both defaults. */
  saveClock(): void;
  /** Saves the replay clock and stops what was started. */
  stop(): Promise<void>;
}

/**
 * The embedded defaults of `demo` and `stack`: PostgreSQL in .data/postgres unless
 * DATABASE_URL is set, the replay source unless SPACEX_API_URL is set. The embedded database
 * remembers what the replay served, so with both the replay clock resumes where it stopped and
 * a later run continues that history instead of rewinding it; a user's own database keeps its own.
 */
export async function startLocalDefaults(replayOptions: { launches: number; tickSeconds: number }): Promise<LocalDefaults> {
  mkdirSync(DATA_DIR, { recursive: true });
  const postgres = process.env.DATABASE_URL
    ? undefined
    : await startLocalPostgres({ dir: path.join(DATA_DIR, 'postgres'), port: Number(process.env.DEMO_PG_PORT ?? 54320) });
  const replay = process.env.SPACEX_API_URL ? undefined : await startReplayServer({ port: 0, seed: 42, ...replayOptions });
  const resumable = replay && postgres;
  if (resumable && existsSync(REPLAY_CLOCK)) {
    const { tick } = JSON.parse(readFileSync(REPLAY_CLOCK, 'utf8')) as { tick: number };
    if (tick > 0) replay.advance(tick);
  }
  const saveClock = () => {
    if (resumable) writeFileSync(REPLAY_CLOCK, JSON.stringify({ tick: replay.dataset.tick }));
  };
  return {
    postgres,
    replay,
    saveClock,
    env: { DATABASE_URL: process.env.DATABASE_URL ?? postgres!.url, SPACEX_API_URL: process.env.SPACEX_API_URL ?? replay!.url },
    async stop() {
      saveClock();
      await replay?.close();
      postgres?.stop();
    },
  };
}

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { startLocalPostgres, stopLocalPostgres, type LocalPostgres } from '../../infra/local/postgres';
import { startReplayServer, type ReplayServer } from '../../infra/local/spacex-api/server';
import { localPorts, redactUrl } from '../core/config';
import { onShutdown } from './shutdown';

/** The checkout holding this build (dist/ or functions/cli/ below it), where `.data` lives. */
function projectRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'spacex-pipeline') return dir;
  }
  return process.cwd();
}

/** Local state: the embedded database, the replay clock. SPACEX_PIPELINE_DATA moves it (tests use a temporary folder). */
export function dataDir(): string {
  return path.resolve(process.env.SPACEX_PIPELINE_DATA || path.join(projectRoot(), '.data'));
}

/** A folder as the user would type it: relative when below the current one. */
export const shown = (dir: string) => {
  const relative = path.relative(process.cwd(), dir);
  return relative && !relative.startsWith('..') ? relative : dir;
};

export interface LocalDatabase {
  url: string;
  /** DATABASE_URL as a shell expression that reads the password from its file, so it is never printed. */
  exported?: string;
  /** Set when the embedded database serves it. */
  postgres?: LocalPostgres;
  /** Stops the embedded database if this command started it (with `false`: leaves it running); harmless otherwise. */
  release(run?: boolean): Promise<void>;
}

/**
 * The embedded PostgreSQL in <data>/postgres: the one `npm start` uses. A server already running
 * on that folder (the demo's, another command's) is reused on its own port; one started here
 * is stopped by `release` (or by a signal).
 */
export async function startLocalDatabase(port = localPorts().postgres): Promise<LocalDatabase> {
  const dir = path.join(dataDir(), 'postgres');
  const postgres = await startLocalPostgres({ dir, port });
  const release = postgres.startedHere ? onShutdown('the local database', () => postgres.stop()) : async () => undefined;
  const url = new URL(postgres.url);
  const exported = `"${url.protocol}//${url.username}:$(cat ${path.join(dir, 'password')})@${url.host}${url.pathname}"`;
  return { url: postgres.url, exported, postgres, release };
}

/**
 * DATABASE_URL when set; else the local embedded database, said in one line on stderr so
 * nobody wonders which database a command wrote to.
 */
export async function databaseFor(command: string, options: { keepRunning?: boolean } = {}): Promise<LocalDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) return { url, release: async () => undefined };
  const db = await startLocalDatabase();
  const { postgres } = db;
  const how = postgres!.startedHere
    ? options.keepRunning
      ? `started on port ${postgres!.port}; it keeps running`
      : `started on port ${postgres!.port} for this command`
    : `already running on port ${postgres!.port}`;
  process.stderr.write(
    `spacex-pipeline ${command}: DATABASE_URL is not set; using the local database in ${shown(path.dirname(postgres!.dataDir))} (${how}): ${redactUrl(db.url)}\n`,
  );
  return db;
}

/**
 * `trinoUp` holds the Trino cache's lock while it waits for the server, and `trinoDown` takes
 * the same lock: interrupted mid-start, this process must give it up before it can stop the
 * server it is starting (infra/local/trino.ts, withLock).
 */
export function releaseTrinoLock(): void {
  const lock = path.join(homedir(), '.cache', 'spacex-pipeline', 'trino', '.lock');
  try {
    if (Number(readFileSync(path.join(lock, 'pid'), 'utf8')) === process.pid) rmSync(lock, { recursive: true, force: true });
  } catch {
    // no lock, or not ours
  }
}

/** Marks the local database as started by `trino up` on the port, so `trino down` stops it too. */
const trinoMarker = (port: number) => path.join(dataDir(), 'postgres', `started-for-trino-${port}`);

/** After `trino up`: the database it started (if it did) outlives the command, until `trino down`. */
export async function keepForTrino(database: LocalDatabase, port: number): Promise<void> {
  await database.release(false);
  if (database.postgres?.startedHere) writeFileSync(trinoMarker(port), '');
}

/** After `trino down`: stops the local database if `trino up` on the port started it. */
export async function releaseForTrino(port: number): Promise<void> {
  if (!existsSync(trinoMarker(port))) return;
  rmSync(trinoMarker(port));
  stopLocalPostgres(path.join(dataDir(), 'postgres'));
  process.stderr.write('spacex-pipeline trino down: stopped the local database `trino up` had started\n');
}

export interface LocalDefaults {
  /** Started here unless DATABASE_URL is set. */
  database?: LocalDatabase;
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
export async function startLocalDefaults(options: { launches: number; tickSeconds: number; pgPort: number }): Promise<LocalDefaults> {
  const data = dataDir();
  const clockFile = path.join(data, 'demo.json');
  mkdirSync(data, { recursive: true });
  const database = process.env.DATABASE_URL ? undefined : await startLocalDatabase(options.pgPort);
  const postgres = database?.postgres;
  const replay = process.env.SPACEX_API_URL
    ? undefined
    : await startReplayServer({ port: 0, seed: 42, launches: options.launches, tickSeconds: options.tickSeconds });
  const stopReplay = replay ? onShutdown('the replay source', () => replay.close()) : async () => undefined;
  const resumable = replay && postgres;
  if (resumable && existsSync(clockFile)) {
    const { tick } = JSON.parse(readFileSync(clockFile, 'utf8')) as { tick: number };
    if (tick > 0) replay.advance(tick);
  }
  const saveClock = () => {
    if (resumable) writeFileSync(clockFile, JSON.stringify({ tick: replay.dataset.tick }));
  };
  return {
    database,
    postgres,
    replay,
    saveClock,
    env: { DATABASE_URL: process.env.DATABASE_URL || database!.url, SPACEX_API_URL: process.env.SPACEX_API_URL || replay!.url },
    async stop() {
      saveClock();
      await stopReplay();
      await database?.release();
    },
  };
}

/**
 * The lines a user pastes into another shell to reach what a command serves (psql, a BI tool,
 * the CLI). Values are shell words as given (see LocalDatabase.exported).
 */
export function exportLines(vars: Record<string, string | undefined>): string {
  return Object.entries(vars)
    .filter(([, value]) => value)
    .map(([name, value]) => `export ${name}=${value}`)
    .join('\n');
}

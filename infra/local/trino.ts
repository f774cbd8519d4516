/**
 * Trino as host processes (no Docker here), with the same configuration docker compose mounts:
 * infra/trino. One coordinator, alone or with workers, per port, so tests (e.g. on 18080) can
 * run beside a developer's Trino on 8080. Each node is Trino's own launcher
 * (`bin/launcher start|stop`) under a JDK 24 or newer, installed once (trino-install.ts).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PipelineError } from '../../functions/core/errors';
import { QUERY_DEFAULTS, runQuery, TrinoQueryError } from '../../functions/core/query/trino';
import { isAlive, readPid, sleep } from './process';
import { catalogEnv, fingerprint, nodeConfig, type NodeSpec } from './trino-config';
import { ensureInstalled, findJdk, installDirOf, isInstalled, type RunResult, run, TRINO_VERSION, tail } from './trino-install';

export { findJdk, TRINO_VERSION };

/** On 2 cores a cold JVM needs well under a minute; the margin covers a loaded machine. */
const START_TIMEOUT_MS = 5 * 60_000;
/** A first start may download about 1 GB; other callers wait for it rather than race it. */
const LOCK_TIMEOUT_MS = 20 * 60_000;
/**
 * Ready means this succeeds: a scan through the PostgreSQL connector, which the scheduler
 * only places once some node is listed for the `postgresql` catalog. /v1/info saying
 * "starting": false, or a query on the `system` catalog, come seconds earlier, and a query on
 * `postgresql` sent in that gap fails with NO_NODES_AVAILABLE. docker-compose.yml's health
 * check runs the same statement.
 */
export const READY_PROBE = "SELECT * FROM TABLE(postgresql.system.query(query => 'SELECT 1'))";

export interface TrinoOptions {
  /** HTTP port of the coordinator; default 8080. Workers take the ports after it. */
  port?: number;
  /** Where Trino is installed and nodes keep their data; default ~/.cache/spacex-pipeline/trino. */
  cacheDir?: string;
  log?: (message: string) => void;
}

export interface TrinoUpOptions extends TrinoOptions {
  /** The pipeline's database, postgres://user:password@host:port/db: the `postgresql` catalog. */
  databaseUrl: string;
  /** Worker nodes beside the coordinator (ports port+1 ... port+N); 0, the default, is one node doing everything. */
  workers?: number;
  /** -Xmx of each worker; default 1G. */
  workerHeap?: string;
}

export interface TrinoStatus {
  url: string;
  /** A coordinator started by this module runs on the port (its launcher pid is alive). */
  running: boolean;
  /** A query on the `postgresql` catalog runs (READY_PROBE). */
  ready: boolean;
  pid?: number;
  /** JDBC URL of the catalog it was started with (never the password). */
  database?: string;
  workers: { url: string; running: boolean; pid?: number }[];
}

/** One Trino process: its port, folders and pid file. */
interface Node extends NodeSpec {
  url: string;
  etcDir: string;
  pidFile: string;
}

interface Cluster {
  port: number;
  url: string;
  log: (message: string) => void;
  cacheDir: string;
  installDir: string;
  home: string;
  stateFile: string;
}

/** What a cluster was started with; a different database, configuration or size means a restart. */
interface ClusterState {
  fingerprint: string;
  database: string;
}

function cluster(opts: TrinoOptions): Cluster {
  const port = opts.port ?? 8080;
  const cacheDir = opts.cacheDir ?? join(homedir(), '.cache', 'spacex-pipeline', 'trino');
  const home = join(cacheDir, 'instances', String(port));
  return {
    port,
    // 127.0.0.1, not localhost: the server binds loopback over IPv4 only.
    url: `http://127.0.0.1:${port}`,
    log: opts.log ?? (() => {}),
    cacheDir,
    installDir: installDirOf(cacheDir),
    home,
    stateFile: join(home, 'state.json'),
  };
}

function node(c: Cluster, role: Node['role'], port: number, workers: number, heap?: string): Node {
  const home = role === 'coordinator' ? c.home : join(c.home, 'workers', String(port));
  const dataDir = join(home, 'data');
  return {
    role,
    port,
    workers,
    heap,
    url: `http://127.0.0.1:${port}`,
    coordinatorUrl: c.url,
    dataDir,
    etcDir: join(home, 'etc'),
    pidFile: join(dataDir, 'var', 'run', 'launcher.pid'), // the launcher's default under --data-dir
  };
}

/** The worker nodes found on disk, running or not: whatever an earlier `up` left. */
function workersOnDisk(c: Cluster): Node[] {
  const dir = join(c.home, 'workers');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map(Number)
    .filter(Number.isInteger)
    .map((port) => node(c, 'worker', port, 0));
}

function readState(c: Cluster): ClusterState | undefined {
  try {
    return JSON.parse(readFileSync(c.stateFile, 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

/**
 * Serialises work on one folder across processes (jest workers call `trinoUp` in parallel):
 * mkdir is atomic, and a lock whose owner died is taken over.
 */
async function withLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, '.lock');
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readPid(join(lock, 'pid'));
      // No pid yet means the owner is between mkdir and write: give it a moment.
      if (owner !== undefined && !isAlive(owner)) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new PipelineError(`another process holds ${lock} (pid ${owner ?? 'unknown'})`);
      else await sleep(500);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Gives up the locks this process holds on the instance on `port` (its coordinator folder): a
 * `trino up` interrupted while it waits for the server must let its own `trinoDown` in.
 */
export function releaseOwnLock(opts: TrinoOptions = {}): void {
  const lock = join(cluster(opts).home, '.lock');
  if (readPid(join(lock, 'pid')) === process.pid) rmSync(lock, { recursive: true, force: true });
}

// ---------------------------------------------------------------- processes

async function serverInfo(url: string): Promise<{ starting: boolean } | undefined> {
  try {
    const res = await fetch(`${url}/v1/info`, { signal: AbortSignal.timeout(2000) });
    return res.ok ? ((await res.json()) as { starting: boolean }) : undefined;
  } catch {
    return undefined;
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function launcher(c: Cluster, n: Node, command: 'start' | 'stop', env: NodeJS.ProcessEnv): Promise<RunResult> {
  return run(join(c.installDir, 'bin', 'launcher'), [command, `--etc-dir=${n.etcDir}`, `--data-dir=${n.dataDir}`], { env });
}

function runningPid(n: Node): number | undefined {
  const pid = readPid(n.pidFile);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

function logTails(nodes: Node[]): string {
  const logs = nodes.flatMap((n) => ['launcher.log', 'server.log'].map((name) => join(n.dataDir, 'var', 'log', name)));
  return logs
    .filter((file) => existsSync(file) && statSync(file).size > 0)
    .map((file) => `--- ${file} (end)\n${tail(readFileSync(file, 'utf8'), 40)}`)
    .join('\n');
}

/** Errors of a Trino still coming up: it lists no node for the catalog yet, or is still starting. */
const STARTING_ERRORS = new Set(['NO_NODES_AVAILABLE', 'SERVER_STARTING_UP', 'CATALOG_NOT_FOUND']);

/**
 * Why the cluster cannot take queries on the `postgresql` catalog yet, or undefined once it can.
 * A probe failing for another reason (the database refuses the catalog's credentials, say) will
 * not get better by waiting: that is thrown.
 */
async function notReadyBecause(url: string, workers: number): Promise<string | undefined> {
  const info = await serverInfo(url);
  if (!info) return 'the coordinator does not answer /v1/info yet';
  if (info.starting) return 'the coordinator is starting';
  const settings = { ...QUERY_DEFAULTS, url };
  if (workers > 0) {
    const active = "SELECT count(*) AS n FROM system.runtime.nodes WHERE state = 'active' AND NOT coordinator";
    const n = await runQuery(settings, active, { noNodesWaitMs: 0 }).then(
      ({ rows }) => Number(rows[0]?.n ?? 0),
      () => 0,
    );
    if (n < workers) return `${n} of ${workers} workers active`;
  }
  try {
    await runQuery(settings, READY_PROBE, { noNodesWaitMs: 0 });
    return undefined;
  } catch (error) {
    if (error instanceof TrinoQueryError && STARTING_ERRORS.has(error.errorName)) {
      return `a query on the postgresql catalog fails with ${error.errorName}`;
    }
    if (error instanceof TrinoQueryError) {
      throw new PipelineError(`Trino at ${url} started, but a query on the postgresql catalog fails: ${error.message}`, { cause: error });
    }
    return (error as Error).message;
  }
}

async function waitUntilReady(c: Cluster, nodes: Node[]): Promise<void> {
  const workers = nodes.length - 1;
  const started = Date.now();
  let reported = started;
  let reason: string | undefined = 'not asked yet';
  while (Date.now() - started < START_TIMEOUT_MS) {
    reason = await notReadyBecause(c.url, workers);
    if (reason === undefined) {
      const size = workers ? ` with ${workers} worker${workers > 1 ? 's' : ''}` : '';
      c.log(`Trino ready at ${c.url}${size} after ${Math.round((Date.now() - started) / 1000)} s`);
      return;
    }
    const dead = nodes.find((n) => runningPid(n) === undefined);
    if (dead) throw new PipelineError(`Trino ${dead.role} on port ${dead.port} exited while starting.\n${logTails([dead])}`);
    if (Date.now() - reported >= 15_000) {
      reported = Date.now();
      c.log(`Trino still starting (${Math.round((reported - started) / 1000)} s: ${reason}; logs in ${c.home})`);
    }
    await sleep(1000);
  }
  throw new PipelineError(
    `Trino did not become ready at ${c.url} within ${START_TIMEOUT_MS / 60_000} minutes (${reason}).\n${logTails(nodes)}`,
  );
}

/** Stops every node of the cluster, workers included; false if none was running. */
async function stop(c: Cluster): Promise<boolean> {
  const nodes = [node(c, 'coordinator', c.port, 0), ...workersOnDisk(c)].filter((n) => runningPid(n) !== undefined);
  if (nodes.length === 0 || !existsSync(c.installDir)) return false;
  // Stopping only signals the pid in the pid file: no Java needed.
  const results = await Promise.all(nodes.map((n) => launcher(c, n, 'stop', process.env)));
  const failed = results.find((r) => r.code !== 0);
  if (failed) throw new PipelineError(`Trino launcher stop failed:\n${tail(failed.output, 20)}`);
  rmSync(c.stateFile, { force: true });
  return true;
}

function writeConfig(n: Node, files: Map<string, string>): void {
  rmSync(n.etcDir, { recursive: true, force: true });
  for (const [name, text] of files) {
    mkdirSync(join(n.etcDir, name, '..'), { recursive: true });
    writeFileSync(join(n.etcDir, name), text);
  }
}

// ---------------------------------------------------------------- commands

/**
 * Starts Trino on the port with the `postgresql` catalog on the given database (a coordinator,
 * plus `workers` worker nodes), and returns once a query on that catalog succeeds. Keeps the
 * cluster already running there if it was started with the same database, configuration and size.
 */
export async function trinoUp(opts: TrinoUpOptions): Promise<{ url: string; workers: string[] }> {
  const c = cluster(opts);
  const workers = opts.workers ?? 0;
  const catalog = catalogEnv(opts.databaseUrl);
  const nodes = [
    node(c, 'coordinator', c.port, workers),
    ...Array.from({ length: workers }, (_, k) => node(c, 'worker', c.port + 1 + k, workers, opts.workerHeap ?? '1G')),
  ];
  const files = nodes.map(nodeConfig);
  const wanted: ClusterState = { fingerprint: fingerprint(files, catalog), database: catalog.PIPELINE_PG_JDBC_URL };
  const result = { url: c.url, workers: nodes.slice(1).map((n) => n.url) };

  const javaHome = findJdk();
  if (!isInstalled(c.cacheDir)) await withLock(c.cacheDir, () => ensureInstalled(c.cacheDir, javaHome, c.log));
  return withLock(c.home, async () => {
    if (runningPid(nodes[0]) !== undefined) {
      if (readState(c)?.fingerprint === wanted.fingerprint && nodes.every((n) => runningPid(n) !== undefined)) {
        c.log(`Trino already running at ${c.url}`);
        await waitUntilReady(c, nodes);
        return result;
      }
      c.log(`Trino on port ${c.port} runs with another database, configuration or size: restarting it for ${wanted.database}`);
    }
    await stop(c);
    rmSync(join(c.home, 'workers'), { recursive: true, force: true });
    for (const n of nodes) {
      if (!(await portInUse(n.port))) continue;
      const what = (await serverInfo(n.url)) ? 'a Trino not started by this tool (docker compose?)' : 'another program';
      const role = n.role === 'worker' ? `port ${n.port} (a worker: workers take the ports after --port)` : `port ${n.port}`;
      throw new PipelineError(`${role} is taken by ${what}: stop it, or pick another --port`);
    }

    for (const [k, n] of nodes.entries()) writeConfig(n, files[k]);
    writeFileSync(c.stateFile, JSON.stringify(wanted), { mode: 0o600 }); // the fingerprint covers the password
    const ports = workers > 1 ? `ports ${c.port + 1}-${c.port + workers}` : `port ${c.port + 1}`;
    const size = workers ? ` with ${workers} worker${workers > 1 ? 's' : ''} (${ports})` : '';
    c.log(`starting Trino ${TRINO_VERSION} on ${c.url}${size} (Java ${javaHome}, catalog postgresql -> ${wanted.database})`);
    const env = { ...process.env, JAVA_HOME: javaHome, ...catalog };
    try {
      for (const n of nodes) {
        const started = await launcher(c, n, 'start', env);
        if (started.code !== 0 || runningPid(n) === undefined) {
          throw new PipelineError(
            `Trino launcher start failed for the ${n.role} on port ${n.port} (${started.code}):\n${tail(started.output, 20)}`,
          );
        }
      }
      await waitUntilReady(c, nodes);
    } catch (error) {
      await stop(c).catch(() => false);
      throw error;
    }
    return result;
  });
}

/** Stops the Trino this module started on the port, workers included; nothing happens if none runs. */
export async function trinoDown(opts: TrinoOptions = {}): Promise<void> {
  const c = cluster(opts);
  await withLock(c.home, async () => {
    c.log((await stop(c)) ? `Trino on port ${c.port} stopped` : `no Trino started by this tool runs on port ${c.port}`);
  });
}

export async function trinoStatus(opts: TrinoOptions = {}): Promise<TrinoStatus> {
  const c = cluster(opts);
  const pid = runningPid(node(c, 'coordinator', c.port, 0));
  const workers = workersOnDisk(c).map((n) => ({ url: n.url, pid: runningPid(n) }));
  const running = pid !== undefined;
  return {
    url: c.url,
    running,
    // A cluster missing a worker is not asked: Trino would hold the probe until a worker returns.
    ready:
      running &&
      workers.every((w) => w.pid !== undefined) &&
      (await notReadyBecause(c.url, workers.length).catch(() => 'failing')) === undefined,
    ...(running ? { pid, database: readState(c)?.database } : {}),
    workers: workers.map((w) => ({ url: w.url, running: w.pid !== undefined, ...(w.pid ? { pid: w.pid } : {}) })),
  };
}

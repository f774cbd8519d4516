/**
 * Trino as a host process (no Docker here), with the same configuration docker compose mounts:
 * infra/trino. Trino 476 is fetched once with Maven into a cache folder outside the repository,
 * and runs with the launcher it ships (`bin/launcher start|stop`) under a JDK 24 or newer.
 * One instance per port, so tests (e.g. on 18080) can run beside a developer's Trino on 8080.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { BasicAuth, Trino } from 'trino-client';
import { isAlive, readPid, sleep } from './process';

export const TRINO_VERSION = '476';
/** Trino 476 requires Java 24; 446 was the last release on Java 21. */
const MIN_JAVA = 24;
/** Maven 3.8's default dependency plugin is too old to copy these artifacts. */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
/** On 2 cores a cold JVM needs well under a minute; the margin covers a loaded machine. */
const START_TIMEOUT_MS = 5 * 60_000;
/** A first start may download about 1 GB; other callers wait for it rather than race it. */
const LOCK_TIMEOUT_MS = 20 * 60_000;

export interface TrinoOptions {
  /** HTTP port of this instance; default 8080. */
  port?: number;
  /** Where Trino is installed and instances keep their data; default ~/.cache/spacex-pipeline/trino. */
  cacheDir?: string;
  log?: (message: string) => void;
}

export interface TrinoUpOptions extends TrinoOptions {
  /** The pipeline's database, postgres://user:password@host:port/db: the `postgresql` catalog. */
  databaseUrl: string;
}

export interface TrinoStatus {
  url: string;
  /** A Trino started by this module runs on the port (its launcher pid is alive). */
  running: boolean;
  /** It answers /v1/info with "starting": false. */
  ready: boolean;
  pid?: number;
  /** JDBC URL of the catalog it was started with (never the password). */
  database?: string;
}

interface Instance {
  port: number;
  url: string;
  log: (message: string) => void;
  cacheDir: string;
  installDir: string;
  etcDir: string;
  dataDir: string;
  pidFile: string;
  stateFile: string;
}

/** What an instance was started with; a different database or configuration means a restart. */
interface InstanceState {
  fingerprint: string;
  database: string;
}

function instance(opts: TrinoOptions): Instance {
  const port = opts.port ?? 8080;
  const cacheDir = opts.cacheDir ?? join(homedir(), '.cache', 'spacex-pipeline', 'trino');
  const home = join(cacheDir, 'instances', String(port));
  const dataDir = join(home, 'data');
  return {
    port,
    // 127.0.0.1, not localhost: the server binds loopback over IPv4 only.
    url: `http://127.0.0.1:${port}`,
    log: opts.log ?? (() => {}),
    cacheDir,
    installDir: join(cacheDir, `trino-server-${TRINO_VERSION}`),
    etcDir: join(home, 'etc'),
    dataDir,
    pidFile: join(dataDir, 'var', 'run', 'launcher.pid'), // the launcher's default under --data-dir
    stateFile: join(home, 'state.json'),
  };
}

// ---------------------------------------------------------------- catalog

/** Environment variables that infra/trino/catalog/postgresql.properties reads with ${ENV:...}. */
export function catalogEnv(databaseUrl: string): {
  PIPELINE_PG_JDBC_URL: string;
  PIPELINE_PG_USER: string;
  PIPELINE_PG_PASSWORD: string;
} {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error('the database URL is not a URL (expected postgres://user:password@host:port/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`the database URL must start with postgres:// or postgresql://, not ${url.protocol}//`);
  }
  const database = url.pathname.replace(/^\//, '');
  if (!database) throw new Error('the database URL names no database');
  // Options such as sslmode=require mean the same to the PostgreSQL JDBC driver.
  return {
    PIPELINE_PG_JDBC_URL: `jdbc:postgresql://${url.hostname}:${url.port || 5432}/${database}${url.search}`,
    PIPELINE_PG_USER: decodeURIComponent(url.username),
    PIPELINE_PG_PASSWORD: decodeURIComponent(url.password),
  };
}

// ---------------------------------------------------------------- configuration

/** infra/trino, found upwards from this file: works from the sources and from dist/cli.js. */
function sharedConfigDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'infra', 'trino');
    if (existsSync(join(candidate, 'config.properties'))) return candidate;
  }
  throw new Error(`no infra/trino/config.properties above ${__dirname}`);
}

/** Sets each key to its value, in place if the file has it, else appended. */
export function overrideProperties(text: string, overrides: Record<string, string>): string {
  const pending = new Map(Object.entries(overrides));
  const lines = text.split('\n').map((line) => {
    const key = /^\s*([^#!\s=:][^=:\s]*)\s*[=:]/.exec(line)?.[1];
    if (key === undefined || !pending.has(key)) return line;
    const value = pending.get(key)!;
    pending.delete(key);
    return `${key}=${value}`;
  });
  const body = lines.join('\n').replace(/\n*$/, '\n');
  if (pending.size === 0) return body;
  return `${body}# set by infra/local/trino.ts\n${[...pending].map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
}

/**
 * The runtime etc folder: infra/trino as is, except what must differ from the container.
 * Loopback only (bind and announced address): an unauthenticated Trino holding database
 * credentials has no business on the network, and it must reach itself at the address it announces.
 */
function runtimeConfig(i: Instance): Map<string, string> {
  const source = sharedConfigDir();
  const overrides: Record<string, Record<string, string>> = {
    'node.properties': {
      'node.id': `spacex-pipeline-${i.port}`,
      'node.data-dir': i.dataDir,
      'node.bind-ip': '127.0.0.1',
      'node.internal-address': '127.0.0.1',
    },
    'config.properties': {
      'http-server.http.port': String(i.port),
      'discovery.uri': i.url,
    },
  };
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const name = relative(source, path);
        const text = readFileSync(path, 'utf8');
        files.set(name, overrides[name] ? overrideProperties(text, overrides[name]) : text);
      }
    }
  };
  walk(source);
  return files;
}

function writeConfig(i: Instance, files: Map<string, string>): void {
  rmSync(i.etcDir, { recursive: true, force: true });
  for (const [name, text] of files) {
    mkdirSync(dirname(join(i.etcDir, name)), { recursive: true });
    writeFileSync(join(i.etcDir, name), text);
  }
}

function fingerprint(files: Map<string, string>, catalog: Record<string, string>): string {
  const hash = createHash('sha256');
  for (const [name, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) hash.update(`${name}\0${text}\0`);
  for (const [key, value] of Object.entries(catalog)) hash.update(`${key}\0${value}\0`);
  return hash.digest('hex');
}

function readState(i: Instance): InstanceState | undefined {
  try {
    return JSON.parse(readFileSync(i.stateFile, 'utf8')) as InstanceState;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- processes

interface RunResult {
  code: number | null;
  output: string;
}

/** Runs a command to its end and keeps its combined output for error messages. */
function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function runOrThrow(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.code}):\n${tail(result.output, 30)}`);
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Serialises up and down on one cache folder across processes (jest workers call `trinoUp`
 * in parallel): mkdir is atomic, and a lock whose owner died is taken over.
 */
async function withLock<T>(cacheDir: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(cacheDir, { recursive: true });
  const lock = join(cacheDir, '.lock');
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
      else if (Date.now() > deadline) throw new Error(`another process holds ${lock} (pid ${owner ?? 'unknown'})`);
      else await sleep(500);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- Java

function javaMajor(javaHome: string): number | undefined {
  const java = join(javaHome, 'bin', 'java');
  if (!existsSync(java)) return undefined;
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return undefined;
  return match[1] === '1' ? Number(match[2]) : Number(match[1]); // "1.8.0" is Java 8
}

function listDirs(parent: string): string[] {
  try {
    return readdirSync(parent).map((name) => join(parent, name));
  } catch {
    return [];
  }
}

/** JAVA_HOME if recent enough (often still 17 or 21), else the newest JDK in the usual folders. */
export function findJdk(): string {
  const fromEnv = process.env.JAVA_HOME;
  if (fromEnv && (javaMajor(fromEnv) ?? 0) >= MIN_JAVA) return fromEnv;
  const found = [...listDirs('/usr/lib/jvm'), ...listDirs('/Library/Java/JavaVirtualMachines').map((dir) => join(dir, 'Contents', 'Home'))]
    .map((home) => ({ home, major: javaMajor(home) ?? 0 }))
    .filter((jdk) => jdk.major >= MIN_JAVA)
    .sort((a, b) => b.major - a.major);
  if (found.length > 0) return found[0].home;
  throw new Error(
    `Trino ${TRINO_VERSION} needs a JDK ${MIN_JAVA} or newer, and none was found ` +
      `(JAVA_HOME${fromEnv ? ` is ${fromEnv}` : ' is not set'}; looked in /usr/lib/jvm). ` +
      'Install one, e.g. the Debian/Ubuntu package temurin-25-jdk from Adoptium, or set JAVA_HOME to it.',
  );
}

// ---------------------------------------------------------------- installation

async function mavenCopy(artifact: string, outputDirectory: string): Promise<RunResult> {
  const args = ['-q', '-B', `${DEPENDENCY_PLUGIN}:copy`, `-Dartifact=${artifact}`, `-DoutputDirectory=${outputDirectory}`];
  try {
    return await run('mvn', args);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new Error(`Maven (mvn) is needed to download Trino ${TRINO_VERSION} once; install it (e.g. apt-get install maven).`);
  }
}

async function download(artifact: string, outputDirectory: string): Promise<string> {
  const result = await mavenCopy(artifact, outputDirectory);
  if (result.code !== 0) throw new Error(`Maven could not fetch ${artifact}:\n${tail(result.output, 15)}`);
  const [, name, version, extension] = artifact.split(':');
  return join(outputDirectory, `${name}-${version}.${extension}`);
}

/** unzip where installed, else the JDK's jar tool, else Python: all extract into the current folder. */
async function unzip(zip: string, into: string, javaHome: string): Promise<void> {
  mkdirSync(into, { recursive: true });
  const tools: [string, string[]][] = [
    ['unzip', ['-q', zip]],
    [join(javaHome, 'bin', 'jar'), ['xf', zip]],
    ['python3', ['-m', 'zipfile', '-e', zip, '.']],
  ];
  for (const [command, args] of tools) {
    try {
      await runOrThrow(command, args, { cwd: into });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`cannot extract ${zip}: install unzip`);
}

/**
 * The PostgreSQL plugin comes as its own zip, but some Maven mirrors do not serve it; the full
 * server archive (about 820 MB) has it too. That archive stores jars as hard links across
 * folders, so it is unpacked whole and only plugin/postgresql kept.
 */
async function fetchPostgresPlugin(downloads: string, staging: string, javaHome: string, log: (m: string) => void): Promise<string> {
  const zipArtifact = `io.trino:trino-postgresql:${TRINO_VERSION}:zip`;
  const zip = await mavenCopy(zipArtifact, downloads);
  if (zip.code === 0) {
    await unzip(join(downloads, `trino-postgresql-${TRINO_VERSION}.zip`), join(staging, 'postgresql-zip'), javaHome);
    return join(staging, 'postgresql-zip', `trino-postgresql-${TRINO_VERSION}`);
  }
  log(`${zipArtifact} is not available from Maven here; taking the plugin from the full server archive (about 820 MB)`);
  const full = await download(`io.trino:trino-server:${TRINO_VERSION}:tar.gz`, downloads);
  mkdirSync(join(staging, 'full'), { recursive: true });
  await runOrThrow('tar', ['-xzf', full, '-C', join(staging, 'full')]);
  return join(staging, 'full', `trino-server-${TRINO_VERSION}`, 'plugin', 'postgresql');
}

/**
 * Installs trino-server-core (the server without connectors) plus the PostgreSQL plugin, once.
 * Everything is assembled in a staging folder and renamed into place, so an interrupted
 * download never leaves a half-installed server behind.
 */
async function ensureInstalled(i: Instance, javaHome: string): Promise<void> {
  if (existsSync(join(i.installDir, 'plugin', 'postgresql'))) return;
  const downloads = join(i.cacheDir, 'downloads');
  const staging = join(i.cacheDir, 'staging');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    i.log(`downloading Trino ${TRINO_VERSION} with Maven (about 200 MB, once)`);
    const core = await download(`io.trino:trino-server-core:${TRINO_VERSION}:tar.gz`, downloads);
    const plugin = await fetchPostgresPlugin(downloads, staging, javaHome, i.log);
    i.log(`unpacking into ${i.installDir}`);
    await runOrThrow('tar', ['-xzf', core, '-C', staging]);
    const server = join(staging, `trino-server-core-${TRINO_VERSION}`);
    renameSync(plugin, join(server, 'plugin', 'postgresql'));
    rmSync(i.installDir, { recursive: true, force: true });
    renameSync(server, i.installDir);
  } finally {
    // Maven keeps its own copy in the local repository; these are only working copies.
    rmSync(staging, { recursive: true, force: true });
    rmSync(downloads, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- server

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

function launcher(i: Instance, command: 'start' | 'stop', env: NodeJS.ProcessEnv): Promise<RunResult> {
  return run(join(i.installDir, 'bin', 'launcher'), [command, `--etc-dir=${i.etcDir}`, `--data-dir=${i.dataDir}`], { env });
}

function logTails(i: Instance): string {
  const logs = ['launcher.log', 'server.log'].map((name) => join(i.dataDir, 'var', 'log', name));
  return logs
    .filter((file) => existsSync(file) && statSync(file).size > 0)
    .map((file) => `--- ${file} (end)\n${tail(readFileSync(file, 'utf8'), 40)}`)
    .join('\n');
}

/**
 * "starting": false comes before the coordinator counts itself as a worker, and a query sent in
 * between fails with NO_NODES_AVAILABLE (trinodb/trino#2214): readiness needs both.
 */
async function hasActiveWorker(url: string): Promise<boolean> {
  try {
    const trino = Trino.create({ server: url, auth: new BasicAuth('spacex-pipeline') });
    let active = 0;
    let failed = false;
    for await (const page of await trino.query("SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'")) {
      if (page.error) failed = true;
      if (page.data?.[0]) active = Number(page.data[0][0]);
    }
    return !failed && active > 0;
  } catch {
    return false;
  }
}

async function waitUntilReady(i: Instance, pid: number): Promise<void> {
  const started = Date.now();
  let reported = started;
  while (Date.now() - started < START_TIMEOUT_MS) {
    const info = await serverInfo(i.url);
    if (info && !info.starting && (await hasActiveWorker(i.url))) {
      i.log(`Trino ready at ${i.url} after ${Math.round((Date.now() - started) / 1000)} s`);
      return;
    }
    if (!isAlive(pid)) throw new Error(`Trino (pid ${pid}) exited while starting.\n${logTails(i)}`);
    if (Date.now() - reported >= 15_000) {
      reported = Date.now();
      i.log(`Trino still starting (${Math.round((reported - started) / 1000)} s; log ${join(i.dataDir, 'var', 'log', 'server.log')})`);
    }
    await sleep(1000);
  }
  throw new Error(`Trino did not become ready at ${i.url} within ${START_TIMEOUT_MS / 60_000} minutes.\n${logTails(i)}`);
}

async function stop(i: Instance): Promise<boolean> {
  const pid = readPid(i.pidFile);
  if (pid === undefined || !isAlive(pid) || !existsSync(i.installDir)) return false;
  // Stopping only signals the pid in the pid file: no Java needed.
  const result = await launcher(i, 'stop', process.env);
  if (result.code !== 0) throw new Error(`Trino launcher stop failed:\n${tail(result.output, 20)}`);
  rmSync(i.stateFile, { force: true });
  return true;
}

/**
 * Starts Trino on the port with the `postgresql` catalog on the given database, or keeps the
 * one already running there if it was started with the same database and configuration.
 */
export async function trinoUp(opts: TrinoUpOptions): Promise<{ url: string }> {
  const i = instance(opts);
  const catalog = catalogEnv(opts.databaseUrl);
  return withLock(i.cacheDir, async () => {
    const files = runtimeConfig(i);
    const wanted: InstanceState = { fingerprint: fingerprint(files, catalog), database: catalog.PIPELINE_PG_JDBC_URL };
    const pid = readPid(i.pidFile);
    if (pid !== undefined && isAlive(pid)) {
      if (readState(i)?.fingerprint === wanted.fingerprint) {
        i.log(`Trino already running at ${i.url} (pid ${pid})`);
        await waitUntilReady(i, pid);
        return { url: i.url };
      }
      i.log(`Trino on port ${i.port} runs with another database or configuration: restarting it for ${wanted.database}`);
      await stop(i);
    } else if (await portInUse(i.port)) {
      const what = (await serverInfo(i.url)) ? 'a Trino not started by this tool (docker compose?)' : 'another program';
      throw new Error(`port ${i.port} is taken by ${what}: stop it, or pick another port`);
    }

    const javaHome = findJdk();
    await ensureInstalled(i, javaHome);
    writeConfig(i, files);
    writeFileSync(i.stateFile, JSON.stringify(wanted), { mode: 0o600 }); // the fingerprint covers the password
    i.log(
      `starting Trino ${TRINO_VERSION} on ${i.url} (Java ${javaHome}, catalog postgresql -> ${wanted.database} as ${catalog.PIPELINE_PG_USER})`,
    );
    const result = await launcher(i, 'start', { ...process.env, JAVA_HOME: javaHome, ...catalog });
    const started = readPid(i.pidFile);
    if (result.code !== 0 || started === undefined) {
      throw new Error(`Trino launcher start failed (${result.code}):\n${tail(result.output, 20)}\n${logTails(i)}`);
    }
    try {
      await waitUntilReady(i, started);
    } catch (error) {
      await stop(i).catch(() => false);
      throw error;
    }
    return { url: i.url };
  });
}

/** Stops the Trino this module started on the port; nothing happens if none runs. */
export async function trinoDown(opts: TrinoOptions = {}): Promise<void> {
  const i = instance(opts);
  await withLock(i.cacheDir, async () => {
    i.log((await stop(i)) ? `Trino on port ${i.port} stopped` : `no Trino started by this tool runs on port ${i.port}`);
  });
}

export async function trinoStatus(opts: TrinoOptions = {}): Promise<TrinoStatus> {
  const i = instance(opts);
  const pid = readPid(i.pidFile);
  const running = pid !== undefined && isAlive(pid);
  const info = running ? await serverInfo(i.url) : undefined;
  return {
    url: i.url,
    running,
    ready: info?.starting === false,
    ...(running ? { pid, database: readState(i)?.database } : {}),
  };
}

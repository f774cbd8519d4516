/**
 * MiniStack, the AWS emulator the e2e test deploys to, run as a host process (no Docker here).
 * It lives in a Python virtualenv in a cache folder that later runs reuse.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathWithNode22 } from './node22';
import { isAlive, readPid, sleep } from './process';

/** Tested version: scheduled rules fire from 1.3.71 on; a pin keeps runs reproducible. */
export const MINISTACK_VERSION = '1.5.33';

export interface MinistackOptions {
  port?: number;
  cacheDir?: string;
  log?: (message: string) => void;
}

interface Resolved {
  port: number;
  cacheDir: string;
  log: (message: string) => void;
  endpoint: string;
  pidFile: string;
}

function resolve(opts: MinistackOptions = {}): Resolved {
  const port = opts.port ?? Number(process.env.MINISTACK_PORT || 4566);
  const cacheDir = opts.cacheDir ?? join(homedir(), '.cache', 'spacex-pipeline', 'ministack');
  return {
    port,
    cacheDir,
    log: opts.log ?? (() => {}),
    // 127.0.0.1, not localhost: SDK clients that resolve localhost to ::1 miss an IPv4-only bind.
    endpoint: `http://127.0.0.1:${port}`,
    pidFile: join(cacheDir, `ministack-${port}.pid`),
  };
}

async function isHealthy(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/_ministack/health`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[]): void {
  const res = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (res.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${res.status ?? res.signal}):\n${res.stderr || res.stdout}`);
  }
}

/** Creates the virtualenv once; a marker names the installed version so a new pin reinstalls. */
function ensureInstalled(r: Resolved): string {
  const venv = join(r.cacheDir, 'venv');
  const bin = join(venv, 'bin', 'ministack');
  const marker = join(venv, '.installed-version');
  if (existsSync(bin) && existsSync(marker) && readFileSync(marker, 'utf8') === MINISTACK_VERSION) return bin;
  mkdirSync(r.cacheDir, { recursive: true });
  r.log(`installing ministack==${MINISTACK_VERSION} into ${venv}`);
  if (!existsSync(join(venv, 'bin', 'python'))) run('python3', ['-m', 'venv', venv]);
  run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `ministack==${MINISTACK_VERSION}`]);
  writeFileSync(marker, MINISTACK_VERSION);
  return bin;
}

/** The nearest folder above this file with a package.json: works from source and from a bundle. */
function projectDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`no package.json above ${__dirname}`);
}

/**
 * Lambda workers inherit MiniStack's own environment under the function's variables,
 * so start it with a minimal one: a DATABASE_URL or AWS profile of the caller must not
 * leak into functions and hide a missing function variable.
 */
function serverEnv(r: Resolved): NodeJS.ProcessEnv {
  return {
    // Workers run the `node` found on PATH: Node 22 first, the runtime the functions deploy on.
    PATH: pathWithNode22(r.log),
    // The bundles leave the AWS SDK out, as the Lambda runtime provides it; here the project's
    // pinned SDK stands in for the runtime's.
    NODE_PATH: join(projectDir(), 'node_modules'),
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    GATEWAY_PORT: String(r.port),
    BIND_HOST: '127.0.0.1', // the default 0.0.0.0 would expose the emulator to the network
    IOT_MTLS_ENABLED: '0', // otherwise it also opens an MQTT port 8883
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
  };
}

/** Starts MiniStack unless it already answers on the port; resolves once it is healthy. */
export async function ministackUp(opts?: MinistackOptions): Promise<{ endpoint: string }> {
  const r = resolve(opts);
  if (await isHealthy(r.endpoint)) {
    r.log(`ministack already running at ${r.endpoint}`);
    return { endpoint: r.endpoint };
  }
  const bin = ensureInstalled(r);
  const logFile = join(r.cacheDir, `ministack-${r.port}.log`);
  const out = openSync(logFile, 'a');
  // Foreground mode in its own process group, rather than `ministack -d`: the pid and log
  // stay in the cache folder, and killing the group also ends the Lambda workers it spawned.
  const child = spawn(bin, [], { detached: true, stdio: ['ignore', out, out], env: serverEnv(r), cwd: r.cacheDir });
  closeSync(out);
  child.unref();
  writeFileSync(r.pidFile, String(child.pid));
  r.log(`ministack starting (pid ${child.pid}, log ${logFile})`);

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await isHealthy(r.endpoint)) return { endpoint: r.endpoint };
    if (!isAlive(child.pid!)) break;
    await sleep(250);
  }
  await ministackDown(opts);
  const tail = readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
  throw new Error(`ministack did not become healthy at ${r.endpoint}; log tail:\n${tail}`);
}

/** Stops the MiniStack this module started on the port (and its Lambda workers). */
export async function ministackDown(opts?: MinistackOptions): Promise<void> {
  const r = resolve(opts);
  const pid = readPid(r.pidFile);
  if (pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is already gone
    }
  };
  signalGroup('SIGTERM');
  const deadline = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  // Workers that ignore SIGTERM would keep the group (and possibly the port) busy.
  signalGroup('SIGKILL');
  rmSync(r.pidFile, { force: true });
  r.log(`ministack stopped (pid ${pid})`);
}

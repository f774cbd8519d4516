/**
 * What the soak runs against: its own PostgreSQL server (own data directory and port, because
 * the soak stops and restarts it), the simulated API, a fault proxy in front of each, and the
 * pipeline's steps as real processes that can be SIGKILLed.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { userInfo } from 'node:os';
import { binDir } from '../../infra/local/postgres';

/**
 * Stops and starts a server made by startLocalPostgres without blocking this process (which
 * serves the API and the proxies meanwhile). The start reuses the options of the first start,
 * which PostgreSQL keeps in postmaster.opts.
 */
export class PostgresControl {
  private readonly owner: { uid?: number; gid?: number };
  private readonly options: string;

  constructor(private readonly dataDir: string) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
    this.owner = userInfo().uid === 0 ? { uid: id('-u'), gid: id('-g') } : {};
    const args = [...readFileSync(path.join(dataDir, 'postmaster.opts'), 'utf8').matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    const dir = args.indexOf('-D');
    if (dir >= 0) args.splice(dir, 2);
    this.options = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  }

  private queue: Promise<void> = Promise.resolve();

  /**
   * Stops the server (fast: what a deploy or a maintenance restart does; immediate: a crash, so
   * the start recovers from WAL) and starts it `downMs` later. Restarts queue behind each other.
   */
  restart(mode: 'fast' | 'immediate', downMs: number): Promise<void> {
    const done = this.queue.then(async () => {
      await this.pgCtl(['stop', '-w', '-t', '60', '-D', this.dataDir, '-m', mode]);
      await sleep(downMs);
      const log = path.join(path.dirname(this.dataDir), 'server.log');
      await this.pgCtl(['start', '-w', '-t', '60', '-D', this.dataDir, '-l', log, '-o', this.options]);
    });
    this.queue = done.catch(() => undefined);
    return done;
  }

  private pgCtl(args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(binDir(), 'pg_ctl'), args, { ...this.owner, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctl ${args[0]} failed (${code}): ${stderr.trim()}`))));
    });
  }
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** SIGKILLed by the schedule, or by the watchdog (hung). */
  killed?: 'schedule' | 'watchdog';
  stderr: string;
  ms: number;
}

export interface RunningProcess {
  readonly done: Promise<ProcessResult>;
  readonly running: boolean;
  kill(by: 'schedule' | 'watchdog'): boolean;
}

/** A node process (the built CLI, or the aggregate handler's runner), its output kept for a report. */
export function startProcess(script: string, args: string[], env: NodeJS.ProcessEnv, watchdogMs: number): RunningProcess {
  const started = Date.now();
  const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let running = true;
  let killed: ProcessResult['killed'];
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const kill = (by: 'schedule' | 'watchdog') => {
    if (!running) return false;
    killed ??= by;
    child.kill('SIGKILL');
    return true;
  };
  const watchdog = setTimeout(() => kill('watchdog'), watchdogMs);
  const done = new Promise<ProcessResult>((resolve) => {
    child.on('close', (code, signal) => {
      running = false;
      clearTimeout(watchdog);
      resolve({ code, signal, killed, stderr, ms: Date.now() - started });
    });
    child.on('error', (error) => {
      running = false;
      clearTimeout(watchdog);
      resolve({ code: null, signal: null, stderr: String(error), ms: Date.now() - started });
    });
  });
  return {
    done,
    get running() {
      return running;
    },
    kill,
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

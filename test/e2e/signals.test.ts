/**
 * Long-running commands stop, with everything they started, on SIGTERM or SIGINT sent to the
 * process a user (or a supervisor) holds: `npx spacex-pipeline ...`, npm's process, not the
 * node process below it. And when the parent goes away (a `sh -c` killed by SIGTERM orphans
 * its child), the command notices and stops too.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, listening } from '../helpers/ports';
import { ensureCliBuilt } from '../helpers/reliability';

const ROOT = path.resolve(__dirname, '../..');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Every process below `pid`, from /proc (children of children included). */
function descendants(pid: number): number[] {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid=']).toString();
  const children = new Map<number, number[]>();
  for (const line of out.trim().split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number);
    children.set(pp, [...(children.get(pp) ?? []), p]);
  }
  const all: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      all.push(c);
      walk(c);
    }
  };
  walk(pid);
  return all;
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Started {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(started: Started, text: string | RegExp, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(typeof text === 'string' ? started.output().includes(text) : text.test(started.output()))) {
    if (Date.now() > deadline || started.child.exitCode !== null) throw new Error(`never printed ${text}:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends the signal, and measures how long until the process and everything below it are gone. */
async function stopWith(started: Started, signal: NodeJS.Signals): Promise<{ code: number | null; seconds: number; left: number[] }> {
  const below = descendants(started.child.pid!);
  const sent = Date.now();
  started.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([started.exited, new Promise<null>((r) => (timer = setTimeout(() => r(null), 20_000)))]);
  clearTimeout(timer);
  await new Promise((r) => setTimeout(r, 300));
  return { code, seconds: (Date.now() - sent) / 1000, left: below.filter(alive) };
}

describe('signals', () => {
  beforeAll(() => ensureCliBuilt());

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s to `npx spacex-pipeline replay` stops it: the port is free, no process left',
    async (signal) => {
      const port = await freePort();
      const replay = start('npx', ['spacex-pipeline', 'replay', '--port', String(port)]);
      await waitFor(replay, `export SPACEX_API_URL=http://127.0.0.1:${port}`);
      const stopped = await stopWith(replay, signal);
      expect({ ...stopped, seconds: stopped.seconds < 5, listening: await listening(port) }).toEqual({
        code: 0,
        seconds: true,
        left: [],
        listening: false,
      });
    },
  );

  it('a replay orphaned by its `sh -c` parent (killed by SIGTERM) stops by itself', async () => {
    const port = await freePort();
    const shell = start('sh', ['-c', `node dist/cli.js replay --port ${port}`]);
    await waitFor(shell, `export SPACEX_API_URL=http://127.0.0.1:${port}`);
    const [node] = descendants(shell.child.pid!);
    shell.child.kill('SIGTERM');
    const deadline = Date.now() + 5000;
    while (alive(node) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect({ nodeAlive: alive(node), listening: await listening(port) }).toEqual({ nodeAlive: false, listening: false });
  });

  it('SIGTERM to `npx spacex-pipeline demo` mid-run stops its database and simulated API', async () => {
    const data = mkdtempSync(path.join(tmpdir(), 'spacex-signals-'));
    chmodSync(data, 0o755);
    const pgPort = await freePort();
    try {
      const demo = start('npx', ['spacex-pipeline', 'demo', '--no-trino', '--launches', '20000', '--pg-port', String(pgPort)], {
        SPACEX_PIPELINE_DATA: data,
        DATABASE_URL: '',
        SPACEX_API_URL: '',
      });
      await waitFor(demo, /^Source: +replay/m, 90_000);
      const stopped = await stopWith(demo, 'SIGTERM');
      expect({
        code: stopped.code,
        prompt: stopped.seconds < 10,
        left: stopped.left,
        pgListening: await listening(pgPort),
        pidFile: existsSync(path.join(data, 'postgres', 'data', 'postmaster.pid')),
      }).toEqual({ code: 143, prompt: true, left: [], pgListening: false, pidFile: false });
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('SIGTERM to `npx spacex-pipeline trino up` while Trino starts stops that Trino', async () => {
    const port = await freePort();
    const up = start('npx', ['spacex-pipeline', 'trino', 'up', '--port', String(port)], { DATABASE_URL: process.env.TEST_DATABASE_URL });
    await waitFor(up, `starting Trino 476 on http://127.0.0.1:${port}`, 120_000);
    await new Promise((r) => setTimeout(r, 2000)); // the launcher has daemonised the JVM by now
    const stopped = await stopWith(up, 'SIGTERM');
    const launcher = path.join(homedir(), '.cache/spacex-pipeline/trino/instances', String(port), 'data/var/run/launcher.pid');
    const jvm = existsSync(launcher) ? Number(readFileSync(launcher, 'utf8')) : undefined;
    rmSync(path.dirname(path.dirname(path.dirname(path.dirname(launcher)))), { recursive: true, force: true });
    expect({
      code: stopped.code,
      prompt: stopped.seconds < 30,
      listening: await listening(port),
      jvmAlive: jvm ? alive(jvm) : false,
    }).toEqual({
      code: 143,
      prompt: true,
      listening: false,
      jvmAlive: false,
    });
  });
});

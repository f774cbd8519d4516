/**
 * How every command ends on a signal. SIGINT (Ctrl-C), SIGTERM and SIGHUP stop the command and
 * whatever it started (servers, a database, Trino, MiniStack), in the reverse order of starting.
 * So does losing the parent: `npm exec` forwards signals to its child, but when that child is a
 * `sh -c` (npm's default script shell), a SIGTERM kills the shell and orphans this process;
 * the parent pid changing is then the only sign left (the project's .npmrc makes npm use bash,
 * which execs the command, so the signal itself arrives).
 */

type Cleanup = () => unknown;

const cleanups: { name: string; run: Cleanup }[] = [];
let waiters: ((signal: string) => void)[] = [];
let stopping = false;

/** Exit code of a command interrupted by a signal, as a shell reports it. */
const SIGNAL_EXIT: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/**
 * Registers what must be undone if the command is interrupted. The returned function
 * unregisters it and runs it (once), or with `false` only unregisters it (what was started is
 * meant to outlive the command).
 */
export function onShutdown(name: string, cleanup: Cleanup): (run?: boolean) => Promise<void> {
  let done = false;
  const entry = {
    name,
    run: async () => {
      if (done) return;
      done = true;
      await cleanup();
    },
  };
  cleanups.push(entry);
  return async (run = true) => {
    const index = cleanups.indexOf(entry);
    if (index >= 0) cleanups.splice(index, 1);
    if (run) await entry.run();
  };
}

/**
 * For servers: resolves on the first signal (or orphaning), and the command then stops its
 * servers itself and ends normally.
 */
export function untilStopped(): Promise<string> {
  // A pending promise holds no handle: without this timer a server whose work runs in other
  // processes (MiniStack, PostgreSQL) would see Node exit at once, leaving them behind.
  const alive = setInterval(() => undefined, 60_000);
  return new Promise((resolve) =>
    waiters.push((signal) => {
      clearInterval(alive);
      resolve(signal);
    }),
  );
}

async function stop(signal: string): Promise<void> {
  if (stopping) {
    // A second Ctrl-C while cleaning up: the user insists.
    process.stderr.write(`spacex-pipeline: ${signal} again, exiting without cleaning up\n`);
    process.exit(SIGNAL_EXIT[signal] ?? 1);
  }
  if (waiters.length > 0) {
    const pending = waiters;
    waiters = [];
    for (const resolve of pending) resolve(signal);
    return;
  }
  stopping = true;
  process.stderr.write(`spacex-pipeline: ${signal}, stopping${cleanups.length ? ` ${cleanups.map((c) => c.name).join(', ')}` : ''}\n`);
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup.run();
    } catch (error) {
      process.stderr.write(`spacex-pipeline: could not stop ${cleanup.name}: ${(error as Error).message}\n`);
    }
  }
  process.exit(SIGNAL_EXIT[signal] ?? 1);
}

/** Installed once by the CLI, before any command runs. */
export function handleSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    void stop('SIGTERM');
  }, 500).unref();
}

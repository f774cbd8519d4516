/**
 * A backfill on a terminal draws a progress bar per resource (documents of the source's total,
 * rate, ETA) on stderr; through a pipe it draws none and logs JSON lines as always.
 * The terminal is a real pseudo-terminal, from util-linux `script`.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startReplayServer, type ReplayServer } from '../../infra/local/spacex-api/server';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { cliEnv, ensureCliBuilt, ROOT, runCli } from '../helpers/reliability';

/** Runs a shell command line with its stdin, stdout and stderr on a pseudo-terminal; returns what the terminal showed. */
function onTerminal(command: string, env: Record<string, string | undefined>): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: ROOT,
      env: env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (c) => (screen += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, screen }));
  });
}

describe('backfill progress', () => {
  let db: TestDatabase;
  let replay: ReplayServer;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    ensureCliBuilt();
    db = await createTestDatabase();
    replay = await startReplayServer({ launches: 3000 });
    env = cliEnv({ DATABASE_URL: db.url, SPACEX_API_URL: replay.url, SPACEX_API_PAGE_SIZE: '200', COLUMNS: '160' });
  });

  afterAll(async () => {
    await replay?.close();
    await db?.drop();
  });

  it('on a terminal: one bar per resource, counting to the total, with rate and ETA', async () => {
    const { code, screen } = await onTerminal(`node ${path.join('dist', 'cli.js')} backfill --no-aggregate`, env);
    expect(code).toBe(0);
    for (const resource of ['rockets', 'launchpads', 'landpads', 'payloads', 'launches']) {
      expect(screen).toMatch(new RegExp(`${resource} +\\|[█░]+\\| \\d+/\\d+ documents \\| \\d+/s \\| ETA `));
    }
    // The finished bar of the launches shows all of them.
    expect(screen).toMatch(/launches +\|█+\| 3000\/3000 documents/);
    expect(screen).not.toMatch(/"level":"info"/);
  });

  it('through a pipe: no bar, JSON logs', async () => {
    const result = await runCli(['backfill', '--no-aggregate'], { ...env, LOG_LEVEL: 'info' });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/[█░]/);
    expect(result.stderr).toMatch(/^\{"level":"INFO","message":"resource loaded",.*\}$/m);
  });
});

/**
 * The shipped CLI loads the local tooling (infra/local: the process managers of PostgreSQL,
 * Trino, MiniStack, deploy, and the simulated API, bundled apart into dist/local.js) only for
 * the commands that use it. Checked at run time: which files the process has loaded when it exits.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliEnv, ensureCliBuilt, ROOT } from '../helpers/reliability';

const LOCAL = path.join(ROOT, 'dist', 'local.js');

function loadedBy(args: string[], env: Record<string, string | undefined>): { code: number | null; local: boolean } {
  const dir = mkdtempSync(path.join(tmpdir(), 'spacex-modules-'));
  try {
    const file = path.join(dir, 'modules');
    const result = spawnSync(
      process.execPath,
      ['--require', path.join(ROOT, 'test/helpers/loaded-modules.js'), path.join(ROOT, 'dist/cli.js'), ...args],
      { cwd: ROOT, env: { ...cliEnv(env), LOADED_MODULES_FILE: file } as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 30_000 },
    );
    return { code: result.status, local: readFileSync(file, 'utf8').split('\n').includes(LOCAL) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the built CLI', () => {
  beforeAll(() => ensureCliBuilt());

  it('runs backfill, ingest, aggregate, status and query without loading the local tooling', () => {
    // Real commands, failing fast at a closed port after everything they need is loaded.
    const env = {
      DATABASE_URL: 'postgres://pipeline:x@127.0.0.1:9/spacex',
      SPACEX_API_URL: 'http://127.0.0.1:9',
      SPACEX_API_RETRIES: '0',
      TRINO_URL: 'http://127.0.0.1:9',
      LOG_LEVEL: 'silent',
    };
    const commands = [['backfill'], ['ingest'], ['aggregate'], ['status'], ['query', 'SELECT 1']];
    expect(commands.map((args) => ({ args, ...loadedBy(args, env) }))).toEqual(commands.map((args) => ({ args, code: 1, local: false })));
  });

  it('loads it for the commands that manage local processes', () => {
    expect(loadedBy(['trino', 'status', '--port', '9'], {})).toEqual({ code: 0, local: true });
  });
});

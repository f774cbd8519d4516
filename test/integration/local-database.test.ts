/**
 * Without DATABASE_URL, the CLI's database commands use the local embedded database (the one
 * `npm start` fills): started for the command and stopped after, or, when a server already runs
 * on its folder (the demo's), that server on its own port, left running. Each says so on stderr.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalPostgres, stopLocalPostgres, type LocalPostgres } from '../../infra/local/postgres';
import { freePort } from '../helpers/ports';
import { cliEnv, ensureCliBuilt, runCli } from '../helpers/reliability';

/** Postmasters serving a data folder, by their pid file. */
const postmasterPid = (data: string) => {
  const file = path.join(data, 'postgres', 'data', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
};

describe('the local database, found without variables', () => {
  let data: string;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    ensureCliBuilt();
    data = mkdtempSync(path.join(tmpdir(), 'spacex-local-db-'));
    chmodSync(data, 0o755); // as root, PostgreSQL runs as `postgres` and must reach its folder
    env = cliEnv({ SPACEX_PIPELINE_DATA: data, DEMO_PG_PORT: String(await freePort()), LOG_LEVEL: 'warn' });
  });

  afterAll(() => rmSync(data, { recursive: true, force: true }));

  it('status and aggregate start it for the command, say so, and stop it after', async () => {
    for (const command of ['status', 'aggregate']) {
      const result = await runCli([command], env);
      expect({ command, code: result.code, stderr: result.stderr.split('\n')[0] }).toEqual({
        command,
        code: 0,
        stderr: expect.stringMatching(
          new RegExp(
            `^spacex-pipeline ${command}: DATABASE_URL is not set; using the local database in .+ ` +
              `\\(started on port ${env.DEMO_PG_PORT}, stopped after unless another command uses it\\): ` +
              'postgres://pipeline:\\*\\*\\*@127\\.0\\.0\\.1:',
          ),
        ),
      });
      expect(result.stdout).toMatch(/^launch_aggregates_by_year$/m);
      expect(postmasterPid(data)).toBeUndefined();
    }
  });

  it("status while the demo's server runs uses that server, on its port, and leaves it running", async () => {
    const demoPort = await freePort();
    let server: LocalPostgres | undefined;
    try {
      server = await startLocalPostgres({ dir: path.join(data, 'postgres'), port: demoPort });
      const before = postmasterPid(data);
      const results = await Promise.all([runCli(['status'], env), runCli(['status'], env)]);
      for (const result of results) {
        expect(result.code).toBe(0);
        expect(result.stderr).toContain(`(already running on port ${demoPort})`);
      }
      expect(postmasterPid(data)).toBe(before);
      expect(server.startedHere).toBe(true);
    } finally {
      server?.stop();
    }
  });

  it('a command that started the server leaves it running for another that came to use it meanwhile', async () => {
    // Another user of the local database: a live process holding a lease, as a running demo does.
    const demo = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const lease = path.join(data, 'postgres', 'leases', String(demo.pid));
    try {
      mkdirSync(path.dirname(lease), { recursive: true });
      writeFileSync(lease, '');
      const result = await runCli(['status'], env);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`(started on port ${env.DEMO_PG_PORT},`);
      expect(postmasterPid(data)).toBeDefined();
      // The demo ends without releasing (killed): the next command's release finds its lease dead and stops the server.
      demo.kill('SIGKILL');
      await new Promise((r) => demo.once('exit', r));
      expect((await runCli(['status'], env)).stderr).toContain(`(already running on port ${env.DEMO_PG_PORT})`);
      expect(postmasterPid(data)).toBeUndefined();
    } finally {
      demo.kill('SIGKILL');
      stopLocalPostgres(path.join(data, 'postgres'));
    }
  });
});

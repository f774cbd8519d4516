/**
 * The README is executable. Every command of its ```bash and ```sh blocks runs, in order and
 * verbatim, in one bash (so exported variables and background jobs carry over from line to line
 * and block to block), against the local defaults: the embedded PostgreSQL, the simulated API,
 * a local Trino and MiniStack. Each must exit 0; where the README shows output, the output must
 * have its shape; and when the last command is done nothing may be left running or listening.
 *
 * The test follows whatever blocks the README has. The few commands that cannot run here are
 * listed below by their text, each with the reason and what validates it instead; the servers
 * (commands that run until stopped) are known by their text too: started, awaited until they say
 * they are ready, then stopped with SIGTERM, which must end them cleanly.
 *
 * Ports and data stay off the defaults, so a developer's own demo keeps running: README_PG_PORT,
 * README_TRINO_PORT and README_MINISTACK_PORT (54330, 18089, 4567) become the product's
 * DEMO_PG_PORT, DEMO_TRINO_PORT and MINISTACK_PORT, and the local data lives in a temporary
 * folder (SPACEX_PIPELINE_DATA). The simulated API uses the port the README names (3100).
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listening } from '../helpers/ports';

const ROOT = path.resolve(__dirname, '../..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** Commands that cannot run here, by their text: why, and what checks them instead. */
const NOT_RUN: { match: RegExp; why: string }[] = [
  { match: /^npm ci\b/, why: 'reinstalls node_modules under the running suite; .ci/run runs it before npm test' },
  { match: /^npm test\b/, why: 'the suite this test is part of' },
  { match: /^npx jest\b/, why: 'a part of npm test, run by it' },
  {
    match: /^npm run soak\b/,
    why:
      'the full soak takes about 13 minutes (its figures are in the README); test/integration/soak.test.ts runs the quick soak of ' +
      'the README (same seed) through the same test/soak/run.mjs',
  },
  { match: /^docker compose\b/, why: 'no Docker engine here; test/unit/compose.test.ts checks docker-compose.yml' },
  {
    match: /postgres:\/\/\.\.\./,
    why: "a placeholder for the reader's own database URL; the commands of that block are the e2e test's (test/e2e/serverless.test.ts)",
  },
  {
    match: /^export AWS_ACCESS_KEY_ID=test .*:4566$|^npx serverless (deploy|remove) --stage local$/,
    why: 'by hand against an emulator already on :4566; test/e2e/serverless.test.ts deploys the same serverless.yml to MiniStack',
  },
  { match: /--stage (prod|dev|staging)\b/, why: 'deploys to a real AWS account; test/e2e/serverless.test.ts packages that stage offline' },
  { match: /^aws /, why: 'the AWS CLI against a real account' },
];

/** Commands that run until stopped: ready once their output matches, then stopped with SIGTERM. */
const SERVERS: { match: RegExp; ready: string; seconds: number }[] = [
  { match: /^npx spacex-pipeline stack\b/, ready: 'Deployed to MiniStack', seconds: 300 },
];

interface Ran {
  text: string;
  stdout: string;
  stderr: string;
  code: number | undefined;
}

/** What a command must print, by its text (on top of exiting 0). */
const EXPECT: { match: RegExp; check: (ran: Ran) => void }[] = [
  {
    match: /^npm start\b/,
    check: ({ stdout }) => {
      for (const heading of ['launch_aggregates', 'launch_aggregates_by_year', 'Recent runs', 'Row counts']) {
        expect(stdout).toMatch(new RegExp(`^${heading}$`, 'm'));
      }
      // The four questions through Trino, each with the columns the README shows.
      for (const [file, header] of SHOWN) {
        expect({ file, answered: stdout.includes(`${file} (through Trino at `) }).toEqual({ file, answered: true });
        expect(stdout.split('\n')).toContain(header);
      }
      expect(stdout).toMatch(/^export DATABASE_URL="postgres:\/\/pipeline:\$\(cat .+\/password\)@127\.0\.0\.1:\d+\/spacex"$/m);
    },
  },
  {
    match: /^npx spacex-pipeline replay\b/,
    check: ({ stdout }) => expect(stdout).toMatch(/^export SPACEX_API_URL=http:\/\/127\.0\.0\.1:3100$/m),
  },
  {
    match: /^npx spacex-pipeline (backfill|ingest)\b/,
    check: ({ stdout, stderr }) => {
      expect(JSON.parse(stdout)).toMatchObject({ status: 'succeeded' });
      expect(stderr).toMatch(/DATABASE_URL is not set; using the local database in /);
    },
  },
  {
    match: /^npx spacex-pipeline (aggregate|status)\b/,
    check: ({ stdout }) => expect(stdout).toMatch(/^launch_aggregates_by_year$/m),
  },
  { match: /^npx spacex-pipeline status\b/, check: ({ stdout }) => expect(stdout).toMatch(/^Recent runs$/m) },
  { match: /^npm run trino:up\b/, check: ({ stdout }) => expect(stdout).toMatch(/^export TRINO_URL=http:\/\/127\.0\.0\.1:\d+$/m) },
  { match: /^npx spacex-pipeline query\b/, check: (ran) => checkQueryOutput(ran) },
];

/** Output the README shows: the header line of the block after each `sql/analytics/...sql` line. */
const SHOWN = new Map<string, string>(
  [...README.matchAll(/^`(sql\/analytics\/[\w.]+\.sql)`\n\n```\n(.+)\n/gm)].map((m) => [m[1], m[2]] as [string, string]),
);

function checkQueryOutput({ text, stdout }: Ran): void {
  const file = /\bquery (\S+\.sql)\b/.exec(text)?.[1];
  const format = /--format (\w+)/.exec(text)?.[1] ?? 'table';
  const header = file ? SHOWN.get(file) : undefined;
  const columns = header?.split('|').map((c) => c.trim());
  if (format === 'json') {
    const rows = JSON.parse(stdout) as object[];
    expect(Array.isArray(rows) && rows.length > 0).toBe(true);
    if (columns) expect(Object.keys(rows[0])).toEqual(columns);
  } else if (format === 'csv') {
    if (columns) expect(stdout.split('\n')[0]).toBe(columns.join(','));
  } else if (header) {
    expect(stdout.split('\n')[0]).toBe(header);
  }
  expect(stdout.trim().length).toBeGreaterThan(0);
}

interface Command {
  text: string;
  block: number;
  kind: 'run' | 'server' | 'not-run';
  why?: string;
  ready?: string;
  seconds?: number;
}

/** The commands of the README's shell blocks, in order; a line ending in a backslash continues. */
function readmeCommands(markdown: string): Command[] {
  const commands: Command[] = [];
  let block = 0;
  for (const match of markdown.matchAll(/^```(?:bash|sh)\n([\s\S]*?)^```$/gm)) {
    block += 1;
    const lines = match[1].split('\n');
    for (let i = 0; i < lines.length; i++) {
      let text = lines[i];
      while (text.endsWith('\\') && i + 1 < lines.length) text += `\n${lines[++i]}`;
      const bare = text.replace(/\s+#.*$/, '').trim();
      if (!bare || bare.startsWith('#')) continue;
      const excluded = NOT_RUN.find((n) => n.match.test(bare));
      const server = SERVERS.find((s) => s.match.test(bare));
      commands.push(
        excluded
          ? { text, block, kind: 'not-run', why: excluded.why }
          : server
            ? { text, block, kind: 'server', ready: server.ready, seconds: server.seconds }
            : { text, block, kind: 'run' },
      );
    }
  }
  return commands;
}

/** One bash for the whole README: each command's output and exit code land in files of `out`. */
function script(commands: Command[], out: string): string {
  const lines = [
    'cd "$ROOT"',
    // Whatever is still running when the script ends (after a failure) is stopped.
    'trap \'for p in $(jobs -pr); do kill -TERM "$p" 2>/dev/null; done; wait\' EXIT',
  ];
  commands.forEach((c, n) => {
    const files = `>"${out}/${n}.out" 2>"${out}/${n}.err" </dev/null`;
    if (c.kind === 'not-run') return;
    if (c.kind === 'run') {
      lines.push('{', c.text, `} ${files}`, `rc=$?; echo $rc >"${out}/${n}.rc"; [ $rc -eq 0 ] || exit 1`);
      return;
    }
    // A server: its own process (exec, so the signal goes to the command itself, npx here).
    lines.push(
      '(',
      `exec ${c.text}`,
      `) ${files} &`,
      'pid=$!',
      `for _ in $(seq ${c.seconds! * 2}); do`,
      `  grep -qF '${c.ready}' "${out}/${n}.out" && break; kill -0 $pid 2>/dev/null || break; sleep 0.5`,
      'done',
      'kill -TERM $pid 2>/dev/null',
      'timeout 120 tail --pid=$pid -f /dev/null || kill -KILL $pid',
      `wait $pid; rc=$?; echo $rc >"${out}/${n}.rc"; grep -qF '${c.ready}' "${out}/${n}.out" && [ $rc -eq 0 ] || exit 1`,
    );
  });
  // Background jobs the README started must have ended by now (give them a few seconds to).
  lines.push(`for _ in $(seq 20); do [ -z "$(jobs -pr)" ] && break; sleep 0.5; done; jobs -pr >"${out}/left-running"`);
  return `${lines.join('\n')}\n`;
}

describe('README', () => {
  const commands = readmeCommands(README);

  it('has commands of the CLI to run, and output to compare them with', () => {
    expect(commands.filter((c) => c.kind === 'run' && /^npx spacex-pipeline /.test(c.text)).length).toBeGreaterThan(3);
    // The output shown is of real questions, and every question the README queries shows its output.
    const queried = commands.flatMap((c) => /\bquery (sql\/analytics\/\S+\.sql)/.exec(c.text)?.[1] ?? []);
    expect(queried.length).toBeGreaterThan(0);
    for (const file of [...SHOWN.keys(), ...queried])
      expect({ file, exists: existsSync(path.join(ROOT, file)) }).toEqual({ file, exists: true });
    for (const file of queried) expect({ file, shown: SHOWN.has(file) }).toEqual({ file, shown: true });
  });

  it('runs as written: every command exits 0, prints what the README shows, and leaves nothing running', async () => {
    const ports = {
      DEMO_PG_PORT: process.env.README_PG_PORT ?? '54330',
      DEMO_TRINO_PORT: process.env.README_TRINO_PORT ?? '18089',
      MINISTACK_PORT: process.env.README_MINISTACK_PORT ?? '4567',
    };
    const used = [3100, ...Object.values(ports).map(Number)];
    for (const port of used) expect({ port, busyBeforeTheTest: await listening(port) }).toEqual({ port, busyBeforeTheTest: false });

    const data = mkdtempSync(path.join(tmpdir(), 'spacex-readme-'));
    chmodSync(data, 0o755); // as root, the embedded PostgreSQL runs as `postgres` and must reach its folder
    const out = path.join(data, 'out');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out);
    writeFileSync(path.join(data, 'readme.sh'), script(commands, out));
    const env: NodeJS.ProcessEnv = { ...process.env, ...ports, ROOT, SPACEX_PIPELINE_DATA: path.join(data, 'local') };
    // A reader's shell has none of these: the README must work without them.
    for (const name of ['DATABASE_URL', 'SPACEX_API_URL', 'TRINO_URL', 'LOG_LEVEL', 'TEST_DATABASE_URL']) delete env[name];

    try {
      const code = await new Promise<number | null>((resolve) => {
        const bash = spawn('bash', [path.join(data, 'readme.sh')], { cwd: ROOT, env, stdio: 'ignore' });
        bash.on('exit', (c) => resolve(c));
      });
      const ran = commands.map((c, n): Ran & Command => {
        const read = (ext: string) =>
          existsSync(path.join(out, `${n}.${ext}`)) ? readFileSync(path.join(out, `${n}.${ext}`), 'utf8') : '';
        const rc = read('rc').trim();
        return { ...c, stdout: read('out'), stderr: read('err'), code: rc === '' ? undefined : Number(rc) };
      });
      // Exit codes first, with the output of the one that failed.
      for (const r of ran.filter((c) => c.kind !== 'not-run')) {
        expect({
          command: r.text,
          code: r.code,
          ...(r.code === 0 ? {} : { stderr: r.stderr.slice(-3000), stdout: r.stdout.slice(-2000) }),
        }).toEqual({
          command: r.text,
          code: 0,
        });
      }
      expect(code).toBe(0);
      for (const r of ran.filter((c) => c.kind !== 'not-run')) {
        for (const e of EXPECT.filter((x) => x.match.test(r.text))) e.check(r);
      }
      expect(readFileSync(path.join(out, 'left-running'), 'utf8').trim()).toBe('');
      for (const port of used)
        expect({ port, listeningAfterTheTest: await listening(port) }).toEqual({ port, listeningAfterTheTest: false });
      expect(existsSync(path.join(data, 'local', 'postgres', 'data', 'postmaster.pid'))).toBe(false);
      rmSync(data, { recursive: true, force: true });
    } catch (error) {
      process.stderr.write(`README run kept in ${data} (readme.sh, and per command out/N.out, .err, .rc)\n`);
      throw error;
    }
  }, 900_000);
});

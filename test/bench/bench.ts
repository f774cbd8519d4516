/**
 * The benchmark (issue "Benchmarks"). Built and started by test/bench/run.mjs (`npm run bench`).
 * Everything runs on one PostgreSQL in one run, so the ratios compare like with like:
 *   1. backfill throughput, end to end (replay API over HTTP -> committed tables), against
 *      the psql \copy floor and pandas to_sql;
 *   2. one ingest + aggregate refresh vs a full recomputation, by size already loaded;
 *   3. the four questions through Trino and directly on PostgreSQL (largest size);
 *   4. Lambda bundle size and cold module load (test/bench/lambda.mjs);
 *   5. peak RSS of the backfill process.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem, homedir } from 'node:os';
import path from 'node:path';
import { pipeline as pump } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { createWriteStream } from 'node:fs';
import { aggregate } from '../../functions/core/pipeline/aggregate';
import { CURRENT_TABLES, LINK_TABLES, RAW_TABLES } from '../../functions/core/resources';
import { closePipeline, createPipeline } from '../../functions/core/pipeline/context';
import { ingest } from '../../functions/core/pipeline/ingest';
import { runQuery, trinoSettings } from '../../functions/core/query/trino';
import { startReplayServer } from '../../infra/local/spacex-api/server';
import { migrate } from '../../functions/core/store/migrate';
import { startLocalPostgres } from '../../infra/local/postgres';
import { trinoDown, trinoUp } from '../../infra/local/trino';
import recomputeSql from '../../sql/aggregate/recompute.sql';

const ROOT = path.resolve(__dirname, process.env.BENCH_ROOT ?? '../../..');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const quick = flag('--quick');
const SIZES = (option('--sizes') ?? (quick ? '1000,3000' : '1000,10000,100000,1000000')).split(',').map(Number);
const PANDAS_MAX = Number(option('--pandas-max') ?? (quick ? 3000 : 100_000));
const TRINO_PORT = Number(option('--trino-port') ?? 18090);
const withTrino = quick ? flag('--trino') : !flag('--no-trino');
const INGEST_SAMPLES = quick ? 3 : 5;
const OUT = path.resolve(option('--out') ?? (quick ? path.join(tmpdir(), 'spacex-bench-quick') : path.join(ROOT, 'test/bench/results')));
const CACHE = path.join(homedir(), '.cache', 'spacex-pipeline');

const say = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Raw and typed tables the backfill fills: what the \copy floor writes too. */
const RAW: readonly string[] = RAW_TABLES;
const TYPED = [...CURRENT_TABLES, ...LINK_TABLES];

interface SizeResult {
  launches: number;
  payloads: number;
  documents: number;
  backfill: { seconds: number; docsPerSecond: number; peakRssMb: number; stepMs: number };
  floor?: { tool: string; seconds: number; docsPerSecond: number; perTableSeconds: Record<string, number> };
  pandas?: { seconds: number; docsPerSecond: number; documents: number } | { skipped: string };
  incremental: { samples: number; medianMs: number; ingestMedianMs: number; aggregateMedianMs: number; touchedLaunches: number[] };
  fullRecompute: { recomputeSqlMs: number; aggregateFullMs: number };
}

async function main() {
  const started = Date.now();
  mkdirSync(OUT, { recursive: true });
  const server = await postgresServer();
  const host = machine(await serverSettings(server));
  const results: SizeResult[] = [];
  let trino: unknown;
  const largest = Math.max(...SIZES);
  for (const size of SIZES) {
    const result = await benchSize(
      server,
      size,
      size === largest && withTrino ? async (url) => void (trino = await benchTrino(url)) : undefined,
    );
    results.push(result);
    write({ machine: host, partial: true, results, trino });
  }
  say('lambda bundles');
  const lambda = JSON.parse(
    execFileSync(process.execPath, [path.join(ROOT, 'test/bench/lambda.mjs'), '--json', '--runs', quick ? '3' : '15'], {
      cwd: ROOT,
    }).toString(),
  );
  write({
    machine: host,
    partial: false,
    results,
    trino: trino ?? { skipped: quick ? 'quick mode (pass --trino to include it)' : 'disabled' },
    lambda,
    seconds: Math.round((Date.now() - started) / 1000),
  });
  say(`done in ${Math.round((Date.now() - started) / 1000)} s: ${path.join(OUT, 'latest.json')}`);
}

/** The PostgreSQL the benchmark started itself, stopped when it ends. */
let ownServer: { url: string; stop(): void } | undefined;

/** BENCH_DATABASE_URL or TEST_DATABASE_URL (a server URL), else a PostgreSQL of its own. */
async function postgresServer(): Promise<string> {
  const given = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (given) return given;
  ownServer = await startLocalPostgres({
    dir: path.join(ROOT, '.data/bench-postgres'),
    port: Number(option('--pg-port') ?? 55490),
    database: 'postgres',
  });
  return ownServer.url;
}

/** The server's version and the settings that shape a load, as the results report them. */
interface ServerSettings {
  version: string;
  shared_buffers: string;
  max_wal_size: string;
}

async function serverSettings(server: string): Promise<ServerSettings> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    const { rows } = await client.query<ServerSettings>(
      "SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS shared_buffers, current_setting('max_wal_size') AS max_wal_size",
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

function dbUrl(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function freshDatabase(server: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return dbUrl(server, name);
}

async function dropDatabase(server: string, name: string) {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

async function benchSize(server: string, size: number, trinoStep?: (databaseUrl: string) => Promise<void>): Promise<SizeResult> {
  const label = size >= 1e6 ? `${size / 1e6}m` : `${size / 1e3}k`;
  say(`== ${size} launches: replay server`);
  const replay = await startReplayServer({ launches: size, port: 0, tickSeconds: 0 });
  const pipeName = `bench_pipeline_${label}`;
  const pipeUrl = await freshDatabase(server, pipeName);
  try {
    // 1 + 5. Backfill as its own process, as a user runs it: wall time and peak RSS.
    say(`backfill (child process)`);
    const backfill = await runBackfill(pipeUrl, replay.url);
    const counts = backfill.summary.counts as Record<string, { received: number }>;
    const documents = Object.values(counts).reduce((n, c) => n + (typeof c === 'object' ? c.received : 0), 0);
    const result: SizeResult = {
      launches: counts.launches.received,
      payloads: counts.payloads.received,
      documents,
      backfill: {
        seconds: r3(backfill.seconds),
        docsPerSecond: Math.round(documents / backfill.seconds),
        peakRssMb: r1(backfill.peakRssKb / 1024),
        stepMs: Number(backfill.summary.counts.ms),
      },
      incremental: { samples: 0, medianMs: 0, ingestMedianMs: 0, aggregateMedianMs: 0, touchedLaunches: [] },
      fullRecompute: { recomputeSqlMs: 0, aggregateFullMs: 0 },
    };
    say(
      `backfill: ${documents} documents in ${backfill.seconds.toFixed(1)} s (${result.backfill.docsPerSecond}/s), peak RSS ${result.backfill.peakRssMb} MB`,
    );

    // 1a. The floor: the same rows into the same tables of a fresh, migrated database.
    if (!flag('--no-floor')) {
      result.floor = await benchFloor(server, pipeUrl, label, documents);
      say(`floor (${result.floor.tool}): ${result.floor.seconds.toFixed(1)} s (${result.floor.docsPerSecond}/s)`);
    }
    // 1b. pandas to_sql, from the same replay server.
    if (size <= PANDAS_MAX) {
      result.pandas = await benchPandas(server, label, replay.url);
      if ('docsPerSecond' in result.pandas) say(`pandas: ${result.pandas.seconds.toFixed(1)} s (${result.pandas.docsPerSecond}/s)`);
    } else result.pandas = { skipped: `only up to ${PANDAS_MAX} launches (too slow)` };

    // 2. Incremental cost vs full recomputation.
    const pipeline = createPipeline({ DATABASE_URL: pipeUrl, SPACEX_API_URL: replay.url, LOG_LEVEL: 'silent' });
    try {
      say('initial aggregate');
      await aggregate(pipeline, 'bench');
      const totals: number[] = [];
      const ingests: number[] = [];
      const aggregates: number[] = [];
      for (let k = 0; k < INGEST_SAMPLES; k++) {
        replay.advance(1); // the next upcoming launch flies; upcoming ones may slip
        const t0 = process.hrtime.bigint();
        await ingest(pipeline, 'bench');
        const t1 = process.hrtime.bigint();
        const summary = await aggregate(pipeline, 'bench');
        totals.push(ms(t0));
        ingests.push(Number(t1 - t0) / 1e6);
        aggregates.push(ms(t1));
        result.incremental.touchedLaunches.push(Number(summary.counts.touchedLaunches));
      }
      result.incremental = {
        ...result.incremental,
        samples: totals.length,
        medianMs: r1(median(totals)),
        ingestMedianMs: r1(median(ingests)),
        aggregateMedianMs: r1(median(aggregates)),
      };
      say(
        `incremental: ${result.incremental.medianMs} ms (ingest ${result.incremental.ingestMedianMs}, aggregate ${result.incremental.aggregateMedianMs})`,
      );

      const client = await pipeline.pool.connect();
      const recompute: number[] = [];
      try {
        for (let k = 0; k < (size >= 1e6 ? 1 : 3); k++) {
          const t0 = process.hrtime.bigint();
          await client.query(recomputeSql);
          recompute.push(ms(t0));
        }
      } finally {
        client.release();
      }
      const t0 = process.hrtime.bigint();
      await aggregate(pipeline, 'bench', { full: true });
      result.fullRecompute = { recomputeSqlMs: r1(median(recompute)), aggregateFullMs: r1(ms(t0)) };
      say(`full: recompute.sql ${result.fullRecompute.recomputeSqlMs} ms, aggregate --full ${result.fullRecompute.aggregateFullMs} ms`);
    } finally {
      await closePipeline(pipeline);
    }
    if (trinoStep) await trinoStep(pipeUrl);
    return result;
  } finally {
    await replay.close();
    if (!flag('--keep')) await dropDatabase(server, pipeName);
  }
}

async function runBackfill(databaseUrl: string, apiUrl: string) {
  const cli = path.join(ROOT, 'dist/cli.js');
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [cli, 'backfill', '--no-aggregate'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, SPACEX_API_URL: apiUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  // VmHWM is the kernel's own peak-RSS counter: polling it misses nothing but the last tick.
  let peakRssKb = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakRssKb = Math.max(peakRssKb, Number(m[1]));
    } catch {
      /* exited */
    }
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const seconds = ms(t0) / 1000;
  clearInterval(poll);
  if (code !== 0) throw new Error(`backfill exited with ${code}`);
  return { seconds, peakRssKb, summary: JSON.parse(stdout) as { counts: Record<string, unknown> } };
}

function psqlPath(): string | undefined {
  for (const candidate of [process.env.PSQL, '/usr/bin/psql', ...(process.env.PATH ?? '').split(':').map((d) => path.join(d, 'psql'))]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Columns the floor writes: everything the pipeline wrote but the generated/defaulted ones of raw tables. */
const rawColumns = '(id, content_hash, document, run_id)';

async function benchFloor(server: string, sourceUrl: string, label: string, documents: number): Promise<NonNullable<SizeResult['floor']>> {
  // Prepare: the rows the pipeline committed, as COPY text files (not timed).
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-floor-'));
  const source = new pg.Client({ connectionString: sourceUrl });
  await source.connect();
  try {
    for (const table of [...RAW, ...TYPED]) {
      const select = RAW.includes(table) ? `(SELECT id, content_hash, document, run_id FROM ${table} ORDER BY version_id)` : table;
      await pump(source.query(copyTo(`COPY ${select} TO STDOUT`)), createWriteStream(path.join(dir, `${table}.tsv`)));
    }
  } finally {
    await source.end();
  }
  const name = `bench_floor_${label}`;
  const url = await freshDatabase(server, name);
  // Every migration, as the pipeline's database has: the same indexes, triggers and keys.
  const schema = new pg.Pool({ connectionString: url, max: 1 });
  const client = await schema.connect();
  try {
    await migrate(client);
  } finally {
    client.release();
    await schema.end();
  }
  try {
    const psql = psqlPath();
    const perTableSeconds: Record<string, number> = {};
    const t0 = process.hrtime.bigint();
    if (psql) {
      // One psql session, one \copy per table, timed as a whole (and per table by \timing).
      const script = [...RAW, ...TYPED]
        .map((t) => `\\copy ${t} ${RAW.includes(t) ? rawColumns : ''} FROM '${path.join(dir, `${t}.tsv`)}'`)
        .join('\n');
      const run = spawnSync(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', '\\timing on', '-f', '-', url], {
        input: script,
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (run.status !== 0) throw new Error(`psql failed: ${run.stderr}`);
      const times = [...run.stdout.matchAll(/Time: ([\d.]+) ms/g)].map((m) => Number(m[1]) / 1000);
      for (const [i, t] of [...RAW, ...TYPED].entries()) perTableSeconds[t] = r3(times[i] ?? 0);
    } else {
      // No psql client: the same COPY FROM STDIN, the file streamed by node.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      for (const t of [...RAW, ...TYPED]) {
        const t1 = process.hrtime.bigint();
        await pump(
          createReadStream(path.join(dir, `${t}.tsv`)),
          client.query(copyFrom(`COPY ${t} ${RAW.includes(t) ? rawColumns : ''} FROM STDIN`)),
        );
        perTableSeconds[t] = r3(ms(t1) / 1000);
      }
      await client.end();
    }
    const seconds = ms(t0) / 1000;
    return {
      tool: psql ? 'psql \\copy' : 'node COPY FROM STDIN',
      seconds: r3(seconds),
      docsPerSecond: Math.round(documents / seconds),
      perTableSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase(server, name);
  }
}

/** A virtualenv with pandas, SQLAlchemy and psycopg2, made once and cached outside the repository. */
function pandasPython(): string {
  const venv = process.env.BENCH_VENV ?? path.join(CACHE, 'bench-venv');
  const python = path.join(venv, 'bin', 'python');
  const ok = () => existsSync(python) && spawnSync(python, ['-c', 'import pandas, sqlalchemy, psycopg2'], { stdio: 'ignore' }).status === 0;
  if (!ok()) {
    say(`creating ${venv} (pandas, sqlalchemy, psycopg2-binary)`);
    mkdirSync(path.dirname(venv), { recursive: true });
    execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(
      path.join(venv, 'bin', 'pip'),
      ['install', '-q', '--disable-pip-version-check', 'pandas', 'sqlalchemy', 'psycopg2-binary'],
      { stdio: 'inherit' },
    );
  }
  return python;
}

async function benchPandas(server: string, label: string, apiUrl: string): Promise<NonNullable<SizeResult['pandas']>> {
  const python = pandasPython();
  const name = `bench_pandas_${label}`;
  const url = await freshDatabase(server, name);
  try {
    const child = spawn(python, [path.join(ROOT, 'test/bench/pandas_load.py'), apiUrl, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const t0 = process.hrtime.bigint();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const wall = ms(t0) / 1000;
    if (code !== 0) throw new Error(`pandas_load.py exited with ${code}`);
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as { documents: number; seconds: number };
    // Wall time of the process (interpreter and pandas import included), like the backfill's.
    return { seconds: r3(wall), docsPerSecond: Math.round(out.documents / wall), documents: out.documents };
  } finally {
    await dropDatabase(server, name);
  }
}

/** The four questions asked of PostgreSQL directly (as in test/integration/trino.test.ts). */
const POSTGRES_QUESTIONS: Record<string, string> = {
  '1_success_rate_by_year': `
    WITH yearly AS (
      SELECT extract(year FROM date_utc AT TIME ZONE 'UTC')::int AS year, count(*)::int AS launches,
             count(*) FILTER (WHERE success)::int AS successful, count(*) FILTER (WHERE NOT success)::int AS failed,
             (count(*) FILTER (WHERE success))::float8 / nullif(count(success), 0) AS success_rate
      FROM launches WHERE NOT upcoming GROUP BY 1)
    SELECT *, success_rate - lag(success_rate) OVER (ORDER BY year) AS change_vs_previous_year FROM yearly ORDER BY year`,
  '2_top_launches_by_payload_mass': `
    SELECT l.flight_number, l.name, sum(p.mass_kg)::float8 AS total_payload_mass_kg
    FROM launches l JOIN (SELECT DISTINCT launch_id, payload_id FROM launch_payloads) lp ON lp.launch_id = l.id
    JOIN payloads p ON p.id = lp.payload_id AND p.mass_kg IS NOT NULL
    WHERE NOT l.upcoming GROUP BY l.id ORDER BY 3 DESC, l.date_utc, l.flight_number LIMIT 5`,
  '3_delay_by_year': `
    SELECT extract(year FROM date_utc AT TIME ZONE 'UTC')::int AS year,
           avg(extract(epoch FROM date_utc - earliest_upcoming_date_utc) / 3600) AS avg_slip_hours,
           max(extract(epoch FROM date_utc - earliest_upcoming_date_utc) / 3600) AS max_slip_hours,
           count(earliest_upcoming_date_utc) AS slip_sample_size,
           avg(CASE WHEN static_fire_date_utc <= date_utc THEN extract(epoch FROM date_utc - static_fire_date_utc) / 3600 END) AS avg_static_fire_lead_hours,
           max(CASE WHEN static_fire_date_utc <= date_utc THEN extract(epoch FROM date_utc - static_fire_date_utc) / 3600 END) AS max_static_fire_lead_hours,
           count(CASE WHEN static_fire_date_utc <= date_utc THEN 1 END) AS static_fire_sample_size
    FROM launches WHERE NOT upcoming GROUP BY 1 ORDER BY 1`,
  '4_launches_per_site': `
    WITH m AS (SELECT lp.launch_id, sum(p.mass_kg) AS total FROM (SELECT DISTINCT launch_id, payload_id FROM launch_payloads) lp
               JOIN payloads p ON p.id = lp.payload_id AND p.mass_kg IS NOT NULL GROUP BY 1)
    SELECT pad.name AS site, count(l.id)::int AS launches, avg(m.total)::float8 AS avg_payload_mass_per_launch_kg
    FROM launchpads pad LEFT JOIN launches l ON l.launchpad_id = pad.id AND NOT l.upcoming LEFT JOIN m ON m.launch_id = l.id
    GROUP BY pad.id, pad.name ORDER BY 2 DESC, pad.name COLLATE "C"`,
};

interface TrinoQueryResult {
  query: string;
  trinoMsMedian: number;
  trinoMsRuns: number[];
  postgresMsMedian: number;
  /** Aggregate and Join nodes left in Trino's plan: work not pushed down to PostgreSQL. */
  trinoAggregateNodes: number;
  trinoJoinNodes: number;
  /** A table scan that is a query handed to PostgreSQL (pushed-down aggregation or join). */
  pushedDown: boolean;
  /** The SQL of each such scan, whole (planLines cut long lines): what PostgreSQL was asked. */
  pushedDownSql: string[];
  planLines: string[];
}

/** The text inside each `Query[...]` of a Trino plan (brackets balanced, quotes respected). */
function pushedDownQueries(plan: string): string[] {
  const found: string[] = [];
  for (let at = plan.indexOf('Query['); at >= 0; at = plan.indexOf('Query[', at + 1)) {
    let depth = 0;
    let quote: string | undefined;
    for (let k = at + 'Query'.length; k < plan.length; k++) {
      const c = plan[k];
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[') depth++;
      else if (c === ']' && --depth === 0) {
        found.push(plan.slice(at + 'Query['.length, k));
        at = k;
        break;
      }
    }
  }
  return found;
}

async function benchTrino(databaseUrl: string): Promise<{ port: number; queries: TrinoQueryResult[] } | { error: string }> {
  say(`trino on port ${TRINO_PORT}`);
  let url: string;
  try {
    url = (await trinoUp({ databaseUrl, port: TRINO_PORT, log: (m) => say(`[trino] ${m}`) })).url;
  } catch (error) {
    say(`trino could not start: ${(error as Error).message}`);
    return { error: (error as Error).message.split('\n')[0] };
  }
  const settings = trinoSettings({ TRINO_URL: url });
  const direct = new pg.Client({ connectionString: databaseUrl });
  await direct.connect();
  const queries: TrinoQueryResult[] = [];
  try {
    for (const file of Object.keys(POSTGRES_QUESTIONS)) {
      const sql = readFileSync(path.join(ROOT, 'sql/analytics', `${file}.sql`), 'utf8');
      await runQuery(settings, sql); // warm-up: metadata and JIT
      const runs: number[] = [];
      for (let k = 0; k < 3; k++) {
        const t0 = process.hrtime.bigint();
        await runQuery(settings, sql);
        runs.push(r1(ms(t0)));
      }
      const pgRuns: number[] = [];
      for (let k = 0; k < 3; k++) {
        const t0 = process.hrtime.bigint();
        await direct.query(POSTGRES_QUESTIONS[file]);
        pgRuns.push(ms(t0));
      }
      const plan = (
        await runQuery(
          settings,
          `EXPLAIN ${sql
            .replace(/^\s*--.*$/gm, '')
            .trim()
            .replace(/;\s*$/, '')}`,
        )
      ).rows
        .map((r) => String(Object.values(r)[0]))
        .join('\n');
      const lines = plan.split('\n');
      const relevant = lines
        .filter((l) => /(Aggregate|Join|TableScan|ScanFilterProject|ScanProject|ScanFilter)\[|table = /.test(l))
        .map((l) => l.trim().slice(0, 240));
      queries.push({
        query: file,
        trinoMsMedian: r1(median(runs)),
        trinoMsRuns: runs,
        postgresMsMedian: r1(median(pgRuns)),
        trinoAggregateNodes: lines.filter((l) => /Aggregate\[/.test(l)).length,
        trinoJoinNodes: lines.filter((l) => /(Inner|Left|Right|Full|Cross)?Join\[/.test(l)).length,
        pushedDown: /Query\[/.test(plan),
        pushedDownSql: pushedDownQueries(plan),
        planLines: relevant.length ? relevant : lines.slice(0, 30),
      });
      say(`trino ${file}: ${r1(median(runs))} ms (postgres ${r1(median(pgRuns))} ms)`);
      for (const q of queries[queries.length - 1].pushedDownSql) say(`  pushed down: ${q.slice(0, 400)}`);
    }
  } finally {
    await direct.end();
    if (!flag('--keep-trino')) await trinoDown({ port: TRINO_PORT }).catch(() => undefined);
  }
  return { port: TRINO_PORT, queries };
}

function machine(postgres: ServerSettings) {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return { nproc: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), cpu: model.trim(), node: process.version, postgres };
}

function write(data: {
  machine: ReturnType<typeof machine>;
  partial: boolean;
  results: SizeResult[];
  trino?: unknown;
  lambda?: unknown;
  seconds?: number;
}) {
  const json = {
    date: new Date().toISOString(),
    command: ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' '),
    quick,
    ...data,
  };
  writeFileSync(path.join(OUT, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(path.join(OUT, 'latest.md'), markdown(json));
}

const n = (x: number | undefined, digits = 0) =>
  x === undefined || Number.isNaN(x) ? '–' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (a?: number, b?: number) => (a && b ? `${(a / b).toFixed(2)}x` : '–');

function markdown(j: {
  date: string;
  command: string;
  machine: ReturnType<typeof machine>;
  partial: boolean;
  results: SizeResult[];
  trino?: unknown;
  lambda?: unknown;
  seconds?: number;
}): string {
  const m = j.machine;
  const out: string[] = [];
  out.push(
    `Benchmark \`${j.command}\`, ${j.date.slice(0, 16).replace('T', ' ')} UTC${j.partial ? ' (PARTIAL: run did not finish)' : ''}${j.seconds ? `, ${Math.round(j.seconds / 60)} min` : ''}.`,
  );
  out.push(
    `Machine: ${m.nproc} cores (${m.cpu}), ${m.memoryGb} GB memory, Node ${m.node}; one PostgreSQL ${m.postgres.version} (shared_buffers ${m.postgres.shared_buffers}, max_wal_size ${m.postgres.max_wal_size}) for everything.`,
    '',
  );
  out.push(
    '**Backfill throughput** (documents = launches + payloads + launchpads + landpads + rockets; end to end: replay API over HTTP -> committed raw and typed tables, one `backfill --no-aggregate` process)',
    '',
  );
  out.push(
    '| launches | documents | pipeline docs/s | \\copy floor docs/s | pipeline / floor | pandas docs/s | pipeline / pandas | backfill peak RSS |',
  );
  out.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of j.results) {
    const pandas = r.pandas && 'docsPerSecond' in r.pandas ? r.pandas.docsPerSecond : undefined;
    out.push(
      `| ${n(r.launches)} | ${n(r.documents)} | ${n(r.backfill.docsPerSecond)} (${n(r.backfill.seconds, 1)} s) | ${r.floor ? `${n(r.floor.docsPerSecond)} (${n(r.floor.seconds, 1)} s)` : '–'} | ${ratio(r.backfill.docsPerSecond, r.floor?.docsPerSecond)} | ${pandas ? `${n(pandas)} (${n((r.pandas as { seconds: number }).seconds, 1)} s)` : 'not run'} | ${ratio(r.backfill.docsPerSecond, pandas)} | ${n(r.backfill.peakRssMb)} MB |`,
    );
  }
  out.push(
    '',
    'Floor: `psql \\copy` from prepared files of exactly the rows the pipeline committed, into a fresh database with the same schema (every migration: same indexes, triggers, keys): the five raw tables (id, content_hash, document jsonb, run_id; version_id and first_seen_at generated as in the pipeline) and the seven typed tables (launches, payloads, launchpads, landpads, rockets, launch_payloads, launch_cores). It skips what the pipeline must do and the floor need not: HTTP, JSON parsing, validation, hashing, and deriving the typed rows. pandas: `test/bench/pandas_load.py`, pages of 5,000 from the same replay API, `json_normalize` + `to_sql(chunksize=5000)` through SQLAlchemy/psycopg2 into one flat table per resource (launches, payloads).',
    '',
  );
  out.push(
    '**Incremental cost**: one `ingest` (a launch flew: latest + upcoming, the flown launch and their payloads, ~20 launches) plus its `aggregate` refresh, median of samples; against recomputing the aggregates from scratch',
    '',
  );
  out.push('| launches loaded | ingest + refresh | (ingest / refresh) | recompute.sql | aggregate --full | recompute / incremental |');
  out.push('|---:|---:|---:|---:|---:|---:|');
  for (const r of j.results) {
    out.push(
      `| ${n(r.launches)} | ${n(r.incremental.medianMs, 1)} ms | ${n(r.incremental.ingestMedianMs, 1)} / ${n(r.incremental.aggregateMedianMs, 1)} ms | ${n(r.fullRecompute.recomputeSqlMs, 1)} ms | ${n(r.fullRecompute.aggregateFullMs, 1)} ms | ${ratio(r.fullRecompute.recomputeSqlMs, r.incremental.medianMs)} |`,
    );
  }
  const trino = j.trino as { port?: number; queries?: TrinoQueryResult[]; skipped?: string; error?: string } | undefined;
  out.push(
    '',
    `**Trino 476** at ${n(Math.max(...j.results.map((r) => r.launches)))} launches (median of 3 after a warm-up), against the same questions asked of PostgreSQL directly`,
    '',
  );
  if (trino?.queries) {
    out.push('| question | Trino | PostgreSQL | Aggregate / Join nodes left in Trino | pushed down |', '|---|---:|---:|---:|---|');
    const pushed = (q: TrinoQueryResult) =>
      !q.pushedDown
        ? 'no: plain table scans'
        : q.trinoAggregateNodes + q.trinoJoinNodes === 0
          ? 'yes (Query[...] scan, nothing left to aggregate or join)'
          : 'partly (Query[...] scan)';
    for (const q of trino.queries)
      out.push(
        `| ${q.query} | ${n(q.trinoMsMedian)} ms | ${n(q.postgresMsMedian)} ms | ${q.trinoAggregateNodes} / ${q.trinoJoinNodes} | ${pushed(q)} |`,
      );
    out.push('', 'Pushed down to PostgreSQL (from EXPLAIN; whole plans in latest.json):', '');
    for (const q of trino.queries) {
      for (const sql of q.pushedDownSql ?? []) out.push(`- ${q.query}: \`${sql.replace(/`/g, "'")}\``);
    }
  } else out.push(`Not measured: ${trino?.skipped ?? trino?.error ?? 'not run'}.`);
  const lambda = j.lambda as { function: string; bundleBytes: number; loadMsMedian: number; loadMsMax: number }[] | undefined;
  out.push('', '**Lambda bundles** (esbuild, minified, as serverless.yml builds them; cold `require` in a fresh process, median)', '');
  if (lambda) {
    out.push('| function | bundle | module load median | max |', '|---|---:|---:|---:|');
    for (const l of lambda)
      out.push(`| ${l.function} | ${n(l.bundleBytes / 1024)} KB | ${n(l.loadMsMedian, 1)} ms | ${n(l.loadMsMax, 1)} ms |`);
  } else out.push('Not measured yet.');
  return `${out.join('\n')}\n`;
}

main()
  .then(() => ownServer?.stop())
  .catch((error) => {
    ownServer?.stop();
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });

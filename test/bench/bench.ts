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
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { aggregate } from '../../functions/core/pipeline/aggregate';
import { closePipeline, createPipeline } from '../../functions/core/pipeline/context';
import { ingest } from '../../functions/core/pipeline/ingest';
import { startReplayServer } from '../../infra/local/spacex-api/server';
import recomputeSql from '../../sql/aggregate/recompute.sql';
import { flag, INGEST_SAMPLES, median, ms, OUT, PANDAS_MAX, quick, r1, r3, ROOT, say, SIZES, type SizeResult, withTrino } from './common';
import { benchPandas } from './pandas';
import { benchFloor, dropDatabase, freshDatabase, postgresServer, serverSettings, stopOwnServer } from './postgres';
import { machine, write } from './report';
import { benchTrino } from './trino';

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
    const { docsPerSecond, peakRssMb } = result.backfill;
    say(`backfill: ${documents} documents in ${backfill.seconds.toFixed(1)} s (${docsPerSecond}/s), peak RSS ${peakRssMb} MB`);

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
      const { medianMs, ingestMedianMs, aggregateMedianMs } = result.incremental;
      say(`incremental: ${medianMs} ms (ingest ${ingestMedianMs}, aggregate ${aggregateMedianMs})`);

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

main()
  .then(() => stopOwnServer())
  .catch((error) => {
    stopOwnServer();
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });

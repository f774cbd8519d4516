/** The benchmark's results, written as latest.json and latest.md. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { argv, OUT, quick, type SizeResult, type TrinoQueryResult } from './common';
import type { ServerSettings } from './postgres';

export function machine(postgres: ServerSettings) {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return { nproc: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), cpu: model.trim(), node: process.version, postgres };
}

/** What a run measured, as the benchmark hands it over to be written. */
interface Measured {
  machine: ReturnType<typeof machine>;
  partial: boolean;
  results: SizeResult[];
  trino?: unknown;
  lambda?: unknown;
  seconds?: number;
}

export function write(data: Measured) {
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

/** One table row. */
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

const FLOOR_NOTE = [
  'Floor: `psql \\copy` from prepared files of exactly the rows the pipeline committed, into a fresh database with the same schema',
  '(every migration: same indexes, triggers, keys): the five raw tables (id, content_hash, document jsonb, run_id; version_id and',
  'first_seen_at generated as in the pipeline) and the seven typed tables (launches, payloads, launchpads, landpads, rockets,',
  'launch_payloads, launch_cores). It skips what the pipeline must do and the floor need not: HTTP, JSON parsing, validation, hashing,',
  'and deriving the typed rows. pandas: `test/bench/pandas_load.py`, pages of 5,000 from the same replay API, `json_normalize` +',
  '`to_sql(chunksize=5000)` through SQLAlchemy/psycopg2 into one flat table per resource (launches, payloads).',
].join(' ');

/** latest.md from what latest.json holds: the measures, when and by which command. */
function markdown(j: Measured & { date: string; command: string }): string {
  const m = j.machine;
  const out: string[] = [];
  const when = `${j.date.slice(0, 16).replace('T', ' ')} UTC`;
  const partial = j.partial ? ' (PARTIAL: run did not finish)' : '';
  const took = j.seconds ? `, ${Math.round(j.seconds / 60)} min` : '';
  out.push(`Benchmark \`${j.command}\`, ${when}${partial}${took}.`);
  const settings = `shared_buffers ${m.postgres.shared_buffers}, max_wal_size ${m.postgres.max_wal_size}`;
  const postgres = `one PostgreSQL ${m.postgres.version} (${settings}) for everything`;
  out.push(`Machine: ${m.nproc} cores (${m.cpu}), ${m.memoryGb} GB memory, Node ${m.node}; ${postgres}.`, '');
  out.push(
    [
      '**Backfill throughput** (documents = launches + payloads + launchpads + landpads + rockets;',
      'end to end: replay API over HTTP -> committed raw and typed tables, one `backfill --no-aggregate` process)',
    ].join(' '),
    '',
  );
  out.push(
    row([
      'launches',
      'documents',
      'pipeline docs/s',
      '\\copy floor docs/s',
      'pipeline / floor',
      'pandas docs/s',
      'pipeline / pandas',
      'backfill peak RSS',
    ]),
  );
  out.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of j.results) {
    const pandas = r.pandas && 'docsPerSecond' in r.pandas ? r.pandas : undefined;
    out.push(
      row([
        n(r.launches),
        n(r.documents),
        `${n(r.backfill.docsPerSecond)} (${n(r.backfill.seconds, 1)} s)`,
        r.floor ? `${n(r.floor.docsPerSecond)} (${n(r.floor.seconds, 1)} s)` : '–',
        ratio(r.backfill.docsPerSecond, r.floor?.docsPerSecond),
        pandas?.docsPerSecond ? `${n(pandas.docsPerSecond)} (${n(pandas.seconds, 1)} s)` : 'not run',
        ratio(r.backfill.docsPerSecond, pandas?.docsPerSecond),
        `${n(r.backfill.peakRssMb)} MB`,
      ]),
    );
  }
  out.push('', FLOOR_NOTE, '');
  out.push(
    [
      '**Incremental cost**: one `ingest` (a launch flew: latest + upcoming, the flown launch and their payloads, ~20 launches)',
      'plus its `aggregate` refresh, median of samples; against recomputing the aggregates from scratch',
    ].join(' '),
    '',
  );
  out.push(
    row(['launches loaded', 'ingest + refresh', '(ingest / refresh)', 'recompute.sql', 'aggregate --full', 'recompute / incremental']),
  );
  out.push('|---:|---:|---:|---:|---:|---:|');
  for (const r of j.results) {
    out.push(
      row([
        n(r.launches),
        `${n(r.incremental.medianMs, 1)} ms`,
        `${n(r.incremental.ingestMedianMs, 1)} / ${n(r.incremental.aggregateMedianMs, 1)} ms`,
        `${n(r.fullRecompute.recomputeSqlMs, 1)} ms`,
        `${n(r.fullRecompute.aggregateFullMs, 1)} ms`,
        ratio(r.fullRecompute.recomputeSqlMs, r.incremental.medianMs),
      ]),
    );
  }
  const trino = j.trino as { port?: number; queries?: TrinoQueryResult[]; skipped?: string; error?: string } | undefined;
  const largest = n(Math.max(...j.results.map((r) => r.launches)));
  out.push(
    '',
    `**Trino 476** at ${largest} launches (median of 3 after a warm-up), against the same questions asked of PostgreSQL directly`,
    '',
  );
  if (trino?.queries) {
    out.push(row(['question', 'Trino', 'PostgreSQL', 'Aggregate / Join nodes left in Trino', 'pushed down']), '|---|---:|---:|---:|---|');
    const pushed = (q: TrinoQueryResult) =>
      !q.pushedDown
        ? 'no: plain table scans'
        : q.trinoAggregateNodes + q.trinoJoinNodes === 0
          ? 'yes (Query[...] scan, nothing left to aggregate or join)'
          : 'partly (Query[...] scan)';
    for (const q of trino.queries) {
      const nodes = `${q.trinoAggregateNodes} / ${q.trinoJoinNodes}`;
      out.push(row([q.query, `${n(q.trinoMsMedian)} ms`, `${n(q.postgresMsMedian)} ms`, nodes, pushed(q)]));
    }
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
      out.push(row([l.function, `${n(l.bundleBytes / 1024)} KB`, `${n(l.loadMsMedian, 1)} ms`, `${n(l.loadMsMax, 1)} ms`]));
  } else out.push('Not measured yet.');
  return `${out.join('\n')}\n`;
}

/** Settings and helpers shared by the benchmark's parts (options: see test/bench/run.mjs). */
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, process.env.BENCH_ROOT ?? '../../..');
export const argv = process.argv.slice(2);
export const flag = (name: string) => argv.includes(name);
export const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
export const quick = flag('--quick');
export const SIZES = (option('--sizes') ?? (quick ? '1000,3000' : '1000,10000,100000,1000000')).split(',').map(Number);
export const PANDAS_MAX = Number(option('--pandas-max') ?? (quick ? 3000 : 100_000));
export const TRINO_PORT = Number(option('--trino-port') ?? 18090);
export const withTrino = quick ? flag('--trino') : !flag('--no-trino');
export const INGEST_SAMPLES = quick ? 3 : 5;
export const OUT = path.resolve(
  option('--out') ?? (quick ? path.join(tmpdir(), 'spacex-bench-quick') : path.join(ROOT, 'test/bench/results')),
);
export const CACHE = path.join(homedir(), '.cache', 'spacex-pipeline');

export const say = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
export const r1 = (x: number) => Math.round(x * 10) / 10;
export const r3 = (x: number) => Math.round(x * 1000) / 1000;

export interface SizeResult {
  launches: number;
  payloads: number;
  documents: number;
  backfill: { seconds: number; docsPerSecond: number; peakRssMb: number; stepMs: number };
  floor?: { tool: string; seconds: number; docsPerSecond: number; perTableSeconds: Record<string, number> };
  pandas?: { seconds: number; docsPerSecond: number; documents: number } | { skipped: string };
  incremental: { samples: number; medianMs: number; ingestMedianMs: number; aggregateMedianMs: number; touchedLaunches: number[] };
  fullRecompute: { recomputeSqlMs: number; aggregateFullMs: number };
}

export interface TrinoQueryResult {
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

import { Command, InvalidArgumentError, Option } from 'commander';
import { databaseUrl, logLevel, sourceConfig } from './core/config';
import { describeError } from './core/errors';
import { aggregate, refreshAggregates } from './core/pipeline/aggregate';
import { backfill } from './core/pipeline/backfill';
import { closePipeline, createPipeline, type Pipeline } from './core/pipeline/context';
import { ingest } from './core/pipeline/ingest';
import { startReplayServer } from '../infra/local/spacex-api/server';
import { connect } from './core/store/db';
import type { RunSummary } from './core/store/runs';
import { existsSync, readFileSync } from 'node:fs';
import { runQuery, trinoSettings } from './core/query/trino';
import { formatCsv, formatTable } from './cli/table';
import { runDemo } from './cli/demo';
import { runStack } from './cli/stack';
import { trinoDown, trinoStatus, trinoUp } from '../infra/local/trino';
import { aggregateReport, statusReport } from './cli/status';

const wholeNumber = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
};

/** On the command line, "tell the aggregate" means: refresh the aggregates right away. */
function cliPipeline(refresh: boolean): Pipeline {
  logLevel();
  sourceConfig();
  return createPipeline(process.env, { databaseUrl: databaseUrl(), announce: refresh ? refreshAggregates('cli') : undefined });
}

async function withPipeline(refresh: boolean, work: (p: Pipeline) => Promise<RunSummary | string>): Promise<void> {
  const pipeline = cliPipeline(refresh);
  try {
    const result = await work(pipeline);
    process.stdout.write(typeof result === 'string' ? `${result}\n` : `${JSON.stringify(printable(result), null, 2)}\n`);
  } finally {
    await closePipeline(pipeline);
  }
}

function printable(summary: RunSummary) {
  const { changedLaunchIds, ...rest } = summary;
  return { ...rest, changedLaunches: changedLaunchIds.length };
}

const program = new Command('spacex-pipeline')
  .description('Loads SpaceX launch data into PostgreSQL, keeps aggregates fresh, answers questions through Trino.')
  .showHelpAfterError();

program
  .command('backfill')
  .description('load the full history of launches, payloads, launchpads, landpads and rockets')
  .option('--no-aggregate', 'do not refresh the aggregates afterwards')
  .action((o) => withPipeline(o.aggregate, (p) => backfill(p, 'cli')));

program
  .command('ingest')
  .description('append what changed at the source (latest and upcoming launches)')
  .option('--no-aggregate', 'do not refresh the aggregates afterwards')
  .action((o) => withPipeline(o.aggregate, (p) => ingest(p, 'cli')));

program
  .command('aggregate')
  .description('refresh the aggregation tables with everything not yet reflected')
  .option('--full', 'rebuild from the current state instead of applying changes')
  .action((o) =>
    withPipeline(false, async (p) => {
      await aggregate(p, 'cli', { full: o.full });
      return aggregateReport(p.pool);
    }),
  );

program
  .command('status')
  .description('recent runs, row counts and quarantined documents')
  .action(() =>
    withPipeline(false, async (p) => {
      // Connect first: an unreachable database is then reported as for every other command
      // (server named, password masked), not as a stack trace.
      (await connect(p.pool, p.databaseUrl)).release();
      return `${await statusReport(p.pool)}\n\n${await aggregateReport(p.pool)}`;
    }),
  );

program
  .command('query')
  .description('run a SQL file (e.g. sql/analytics/1_success_rate_by_year.sql) or a statement through Trino')
  .argument('<file-or-sql>', 'path of a .sql file, or the SQL itself')
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
  .action(async (input: string, o: { format: 'table' | 'json' | 'csv' }) => {
    const sql = existsSync(input) ? readFileSync(input, 'utf8') : input;
    const result = await runQuery(trinoSettings(), sql);
    const columns = result.columns.map((c) => c.name);
    const out =
      o.format === 'json'
        ? JSON.stringify(result.rows, null, 2)
        : o.format === 'csv'
          ? formatCsv(result.rows, columns)
          : formatTable(result.rows, columns);
    process.stdout.write(`${out}\n`);
  });

const trino = program.command('trino').description('a local Trino 476 (no Docker) whose postgresql catalog is DATABASE_URL');
trino
  .command('up')
  .description('download once (Maven), start, and wait until it answers queries')
  .addOption(new Option('--port <n>', 'HTTP port').argParser(wholeNumber).default(8080))
  .action(async (o) => {
    const { url } = await trinoUp({ databaseUrl: databaseUrl(), port: o.port, log: (m) => process.stderr.write(`${m}\n`) });
    process.stdout.write(`Trino ready at ${url} (catalog postgresql, schema public)\n`);
  });
trino
  .command('down')
  .addOption(new Option('--port <n>', 'HTTP port').argParser(wholeNumber).default(8080))
  .action((o) => trinoDown({ port: o.port, log: (m) => process.stderr.write(`${m}\n`) }));
trino
  .command('status')
  .addOption(new Option('--port <n>', 'HTTP port').argParser(wholeNumber).default(8080))
  .action(async (o) => void process.stdout.write(`${JSON.stringify(await trinoStatus({ port: o.port }), null, 2)}\n`));

program
  .command('replay')
  .description('serve a generated, live-moving copy of the SpaceX API')
  .addOption(new Option('--launches <n>', 'launches in the data set').argParser(wholeNumber).default(500))
  .addOption(new Option('--seed <n>', 'generator seed').argParser(wholeNumber).default(42))
  .addOption(new Option('--port <n>', 'port (0: any free one)').argParser(wholeNumber).default(3100))
  .addOption(
    new Option('--tick-seconds <s>', 'seconds per clock tick (a launch flies, schedules slip); 0 = manual').argParser(Number).default(60),
  )
  .action(async (o) => {
    const server = await startReplayServer({ port: o.port, launches: o.launches, seed: o.seed, tickSeconds: o.tickSeconds });
    process.stdout.write(`Replay source on ${server.url} (${o.launches} launches, seed ${o.seed}); Ctrl-C stops it.\n`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()).once('SIGTERM', () => resolve()));
    await server.close();
  });

program
  .command('stack')
  .description('deploy the three functions to a local MiniStack (no Docker) with PostgreSQL and the replay source; Ctrl-C removes it')
  .addOption(new Option('--launches <n>', 'launches in the replay data set').argParser(wholeNumber).default(500))
  .addOption(new Option('--tick-seconds <s>', 'replay clock: seconds per tick').argParser(Number).default(60))
  .option('--ingest-rate <rate>', 'ingest schedule', 'rate(1 minute)')
  .action((o) => runStack({ launches: o.launches, tickSeconds: o.tickSeconds, ingestRate: o.ingestRate }));

program
  .command('redrive')
  .description('re-invoke the failed invocations in the failure queue; each message is deleted once its invocation succeeded')
  .option('--stage <stage>', 'the deployed stage whose queue (spacex-pipeline-<stage>-failed) to drain', 'local')
  .option('--queue-url <url>', 'the failure queue, instead of the stage default')
  .addOption(new Option('--limit <n>', 'at most this many messages').argParser(wholeNumber))
  .action(async (o) => {
    // Loaded only for this command: the SQS and Lambda clients are not part of the other commands.
    const { describeRedrive, redrive } = await import('./core/events/redrive');
    process.stdout.write(`${describeRedrive(await redrive({ stage: o.stage, queueUrl: o.queueUrl, limit: o.limit }))}\n`);
  });

program
  .command('demo')
  .description('run the whole pipeline on embedded PostgreSQL and the replay source, then print the aggregates')
  .addOption(new Option('--launches <n>', 'launches in the replay data set').argParser(wholeNumber).default(500))
  .addOption(new Option('--ticks <n>', 'ingest ticks after the backfill').argParser(wholeNumber).default(3))
  .option('--no-trino', 'skip the four questions through Trino')
  .action((o) => runDemo({ launches: o.launches, ticks: o.ticks, trino: o.trino }));

/** Exit codes: 2 for invalid configuration, 1 for a failed run or an unreachable dependency. */
program.parseAsync().catch((error: unknown) => {
  const { message, exitCode } = describeError(error);
  process.stderr.write(`spacex-pipeline: ${message}\n`);
  process.exitCode = exitCode;
});

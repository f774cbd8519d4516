import { existsSync, readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { databaseUrl, localPorts, logLevel, redactText, sourceConfig } from './core/config';
import { ConfigError, describeError } from './core/errors';
import { aggregate, refreshAggregates } from './core/pipeline/aggregate';
import { backfill } from './core/pipeline/backfill';
import { closePipeline, createPipeline, type Pipeline } from './core/pipeline/context';
import { ingest } from './core/pipeline/ingest';
import { connect, usingClient } from './core/store/db';
import { migrate } from './core/store/migrate';
import type { RunSummary } from './core/store/runs';
import { runQuery, trinoSettings } from './core/query/trino';
import { formatCsv, formatTable } from './cli/table';
import { aggregateReport, statusReport } from './cli/status';
import { handleSignals, onShutdown, untilStopped } from './cli/shutdown';

// Local tooling (the embedded database, Trino, MiniStack, the simulated API, the demo) is
// loaded only by the commands that use it: infra/build.mjs puts infra/local in its own file.
const local = () => import('./cli/local');
const localTrino = () => import('../infra/local/trino');

const wholeNumber = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
};

const portNumber = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65_535) throw new InvalidArgumentError('must be a port, a whole number from 1 to 65535');
  return n;
};

/** Validated before anything starts, so a bad value exits 2 without a database started for nothing. */
function checkConfig(): void {
  logLevel();
  sourceConfig();
  localPorts();
  if (process.env.DATABASE_URL) databaseUrl();
}

/** On the command line, "tell the aggregate" means: refresh the aggregates right away. */
async function withPipeline(
  command: string,
  refresh: boolean,
  work: (p: Pipeline) => Promise<RunSummary | string>,
  options: { progress?: boolean } = {},
): Promise<void> {
  checkConfig();
  // Without DATABASE_URL, the local embedded database (loaded only then).
  const database = process.env.DATABASE_URL ? undefined : await (await local()).databaseFor(command);
  // Progress bars only on a terminal (cli-progress loaded only then).
  const bars = options.progress && process.stderr.isTTY ? (await import('./cli/progress')).progressBars() : undefined;
  try {
    const url = database?.url ?? databaseUrl();
    const announce = refresh ? refreshAggregates('cli') : undefined;
    const pipeline = createPipeline(process.env, { databaseUrl: url, announce, onProgress: bars?.onProgress });
    try {
      const result = await work(pipeline);
      bars?.stop();
      process.stdout.write(typeof result === 'string' ? `${result}\n` : `${JSON.stringify(printable(result), null, 2)}\n`);
    } finally {
      bars?.stop();
      await closePipeline(pipeline);
    }
  } finally {
    await database?.release();
  }
}

/** A path-looking argument must name a file: a typo must not reach Trino as SQL. */
function sqlOf(input: string): string {
  if (existsSync(input)) return readFileSync(input, 'utf8');
  if (/\.sql$/i.test(input) || (input.includes('/') && !/\s/.test(input.trim()))) {
    throw new ConfigError(`no such file: ${input} (query takes a .sql file or the SQL itself)`);
  }
  return input;
}

const pgPort = () =>
  new Option('--pg-port <n>', 'port of the local PostgreSQL it starts (unless DATABASE_URL is set)')
    .argParser(portNumber)
    .default(undefined, '$DEMO_PG_PORT or 54320');

function printable(summary: RunSummary) {
  const { changedLaunchIds, ...rest } = summary;
  return { ...rest, changedLaunches: changedLaunchIds.length };
}

const program = new Command('spacex-pipeline')
  .description('Loads SpaceX launch data into PostgreSQL, keeps aggregates fresh, answers questions through Trino.')
  .showHelpAfterError()
  // A bad flag or argument is invalid input like a bad variable: exit code 2 (commander says 1).
  .exitOverride((error: CommanderError) => {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
    throw error; // commander has printed it
  });

const DATABASE_NOTE = "Without DATABASE_URL it uses the local database in .data/postgres (the demo's), starting it if needed.";

program
  .command('backfill')
  .description('load the full history of launches, payloads, launchpads, landpads and rockets')
  .option('--no-aggregate', 'do not refresh the aggregates afterwards')
  .addHelpText('after', DATABASE_NOTE)
  .action((o) => withPipeline('backfill', o.aggregate, (p) => backfill(p, 'cli'), { progress: true }));

program
  .command('ingest')
  .description('append what changed at the source (latest and upcoming launches)')
  .option('--no-aggregate', 'do not refresh the aggregates afterwards')
  .addHelpText('after', DATABASE_NOTE)
  .action((o) => withPipeline('ingest', o.aggregate, (p) => ingest(p, 'cli')));

program
  .command('aggregate')
  .description('refresh the aggregation tables with everything not yet reflected')
  .option('--full', 'rebuild from the current state instead of applying changes')
  .addHelpText('after', DATABASE_NOTE)
  .action((o) =>
    withPipeline('aggregate', false, async (p) => {
      await aggregate(p, 'cli', { full: o.full });
      return aggregateReport(p.pool);
    }),
  );

program
  .command('status')
  .description('recent runs, row counts and quarantined documents')
  .addHelpText('after', DATABASE_NOTE)
  .action(() =>
    withPipeline('status', false, async (p) => {
      // Connect first: an unreachable database is then reported as for every other command
      // (server named, password masked), not as a stack trace. A new database gets its tables.
      await usingClient(await connect(p.pool, p.databaseUrl), migrate);
      return `${await statusReport(p.pool)}\n\n${await aggregateReport(p.pool)}`;
    }),
  );

program
  .command('query')
  .description('run a SQL file (e.g. sql/analytics/1_success_rate_by_year.sql) or a statement through Trino')
  .argument('<file-or-sql>', 'path of a .sql file, or the SQL itself')
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
  .action(async (input: string, o: { format: 'table' | 'json' | 'csv' }) => {
    logLevel();
    const result = await runQuery(trinoSettings({ TRINO_URL: `http://127.0.0.1:${localPorts().trino}`, ...process.env }), sqlOf(input));
    const columns = result.columns.map((c) => c.name);
    const out =
      o.format === 'json'
        ? JSON.stringify(result.rows, null, 2)
        : o.format === 'csv'
          ? formatCsv(result.rows, columns)
          : formatTable(result.rows, columns);
    process.stdout.write(`${out}\n`);
  });

const trinoPort = () =>
  new Option('--port <n>', 'HTTP port (DEMO_TRINO_PORT, else 8080)').argParser(portNumber).default(undefined, '$DEMO_TRINO_PORT or 8080');
const stderrLog = (m: string) => process.stderr.write(`${m}\n`);

const trino = program
  .command('trino')
  .description('a local Trino 476 (no Docker) whose postgresql catalog is DATABASE_URL, or the local database without it');
trino
  .command('up')
  .description('download once (Maven), start, and wait until it answers queries; prints the TRINO_URL to export')
  .addOption(trinoPort())
  .addOption(
    new Option('--workers <n>', 'worker nodes beside the coordinator, on the ports after --port').argParser(wholeNumber).default(0),
  )
  .action(async (o) => {
    checkConfig();
    const port: number = o.port ?? localPorts().trino;
    const { databaseFor, keepForTrino } = await local();
    const { trinoDown, trinoStatus, trinoUp } = await localTrino();
    const database = await databaseFor('trino up', { keepRunning: true });
    // Interrupted while starting: stop what this command started, and only that.
    const stopTrino = (await trinoStatus({ port })).running
      ? undefined
      : onShutdown('Trino', async () => {
          (await localTrino()).releaseOwnLock({ port });
          await trinoDown({ port });
        });
    try {
      const { url, workers } = await trinoUp({ databaseUrl: database.url, port, workers: o.workers, log: stderrLog });
      await stopTrino?.(false);
      await keepForTrino(database, port);
      const size = workers.length ? ` with ${workers.length} worker${workers.length > 1 ? 's' : ''} (${workers.join(', ')})` : '';
      stderrLog(`Trino ready at ${url}${size} (catalog postgresql, schema public); \`spacex-pipeline query\` reads TRINO_URL:`);
      process.stdout.write(`export TRINO_URL=${url}\n`);
    } catch (error) {
      await database.release();
      throw error;
    }
  });
trino
  .command('down')
  .description('stop the local Trino on the port (and the local database if `trino up` started it)')
  .addOption(trinoPort())
  .action(async (o) => {
    const port: number = o.port ?? localPorts().trino;
    await (await localTrino()).trinoDown({ port, log: stderrLog });
    await (await local()).releaseForTrino(port);
  });
trino
  .command('status')
  .addOption(trinoPort())
  .action(async (o) => {
    const status = await (await localTrino()).trinoStatus({ port: o.port ?? localPorts().trino });
    process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
  });

program
  .command('replay')
  .description('serve a generated, live-moving copy of the SpaceX API')
  .addOption(new Option('--launches <n>', 'launches in the data set').argParser(wholeNumber).default(500))
  .addOption(new Option('--seed <n>', 'generator seed').argParser(wholeNumber).default(42))
  .addOption(new Option('--port <n>', 'port (0: any free one)').argParser(wholeNumber).default(3100))
  .option('--host <address>', 'address to listen on (0.0.0.0 in a container)', '127.0.0.1')
  .addOption(
    new Option('--tick-seconds <s>', 'seconds per clock tick (a launch flies, schedules slip); 0 = manual').argParser(Number).default(60),
  )
  .action(async (o) => {
    const { startReplayServer } = await import('../infra/local/spacex-api/server');
    const server = await startReplayServer({ port: o.port, host: o.host, launches: o.launches, seed: o.seed, tickSeconds: o.tickSeconds });
    stderrLog(`Replay source on ${server.url} (${o.launches} launches, seed ${o.seed}); Ctrl-C stops it. Point the pipeline at it:`);
    process.stdout.write(`export SPACEX_API_URL=${server.url}\n`);
    await untilStopped();
    await server.close();
  });

program
  .command('stack')
  .description('deploy the three functions to a local MiniStack (no Docker) with PostgreSQL and the replay source; Ctrl-C removes it')
  .addOption(new Option('--launches <n>', 'launches in the replay data set').argParser(wholeNumber).default(500))
  .addOption(new Option('--tick-seconds <s>', 'replay clock: seconds per tick').argParser(Number).default(60))
  .option('--ingest-rate <rate>', 'ingest schedule', 'rate(1 minute)')
  .addOption(pgPort())
  .addHelpText('after', 'MiniStack listens on MINISTACK_PORT (default 4566).')
  .action(async (o) => {
    checkConfig();
    const { runStack } = await import('./cli/stack');
    await runStack({
      launches: o.launches,
      tickSeconds: o.tickSeconds,
      ingestRate: o.ingestRate,
      pgPort: o.pgPort ?? localPorts().postgres,
    });
  });

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
  .addOption(pgPort())
  .addOption(
    new Option('--trino-port <n>', 'port of the Trino it starts (unless TRINO_URL is set)')
      .argParser(portNumber)
      .default(undefined, '$DEMO_TRINO_PORT or 8080'),
  )
  .action(async (o) => {
    checkConfig();
    const { runDemo } = await import('./cli/demo');
    const ports = localPorts();
    await runDemo({
      launches: o.launches,
      ticks: o.ticks,
      trino: o.trino,
      pgPort: o.pgPort ?? ports.postgres,
      trinoPort: o.trinoPort ?? ports.trino,
    });
  });

/** Exit codes: 2 for invalid configuration, 1 for a failed run or an unreachable dependency. */
handleSignals();
program.parseAsync().catch((error: unknown) => {
  if (error instanceof CommanderError) return; // usage errors and --help: commander has printed them
  const { message, exitCode } = describeError(error);
  process.stderr.write(`spacex-pipeline: ${redactText(message, process.env.DATABASE_URL)}\n`);
  process.exitCode = exitCode;
});

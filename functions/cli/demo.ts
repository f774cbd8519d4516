import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findJdk, trinoDown, trinoStatus, trinoUp } from '../../infra/local/trino';
import { runQuery, trinoSettings } from '../core/query/trino';
import { formatTable } from './table';
import { log } from '../core/log';
import { refreshAggregates } from '../core/pipeline/aggregate';
import { backfill } from '../core/pipeline/backfill';
import { closePipeline, createPipeline } from '../core/pipeline/context';
import { ingest } from '../core/pipeline/ingest';
import { exportLines, shown, startLocalDefaults } from './local';
import { onShutdown } from './shutdown';
import { aggregateReport, statusReport } from './status';

const ANALYTICS = path.resolve(__dirname, '../sql/analytics');

interface DemoOptions {
  launches: number;
  ticks: number;
  trino: boolean;
  pgPort: number;
  trinoPort: number;
}

const say = (text: string) => process.stdout.write(`${text}\n`);

/**
 * The two-command experience: PostgreSQL (embedded unless DATABASE_URL is set), the replay
 * source (unless SPACEX_API_URL is set), a backfill, a few ingest ticks, then the aggregates.
 * The replay clock resumes where the previous demo left it, so a second demo continues the
 * same history instead of rewinding it.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  // The demo narrates on stdout; only warnings interleave unless LOG_LEVEL asks for more.
  if (!process.env.LOG_LEVEL) log.level = 'warn';
  const {
    database,
    postgres,
    replay,
    env: local,
    saveClock,
    stop,
  } = await startLocalDefaults({
    launches: options.launches,
    tickSeconds: 0,
    pgPort: options.pgPort,
  });
  const env = { ...process.env, ...local };
  const pipeline = createPipeline(env, { announce: refreshAggregates('demo') });
  try {
    say(`PostgreSQL: ${postgres ? `embedded, data in ${shown(path.dirname(postgres.dataDir))}, port ${postgres.port}` : 'DATABASE_URL'}`);
    say(`Source:     ${replay ? `replay of ${options.launches} launches at ${replay.url}` : env.SPACEX_API_URL}`);
    const loaded = await backfill(pipeline, 'demo');
    say(`Backfill run ${loaded.runId}: ${describe(loaded.counts)}`);
    for (let tick = 1; tick <= options.ticks; tick++) {
      if (replay) replay.advance(1);
      const run = await ingest(pipeline, 'demo');
      say(`Ingest tick ${tick} (run ${run.runId}): ${run.changedLaunchIds.length} launches changed`);
    }
    saveClock();
    say('');
    say(await aggregateReport(pipeline.pool));
    say('');
    say(await statusReport(pipeline.pool));
    if (options.trino) await askTrino(env.DATABASE_URL, options.trinoPort);
    if (database?.exported) {
      say('');
      say('Commands run without DATABASE_URL use this database (starting it when needed). For psql or a BI tool, while it runs:');
      say(exportLines({ DATABASE_URL: database.exported }));
    }
  } finally {
    await closePipeline(pipeline);
    await stop();
  }
}

/**
 * The four questions through Trino: TRINO_URL when set, else a local Trino started for the
 * demo when a JDK 24+ and Maven are there (the first start downloads Trino once). Trino is
 * an extra: if it cannot run, the demo says why and still succeeds.
 */
async function askTrino(databaseUrl: string, port: number): Promise<void> {
  say('');
  let stopTrino = async () => undefined as unknown;
  try {
    let url = process.env.TRINO_URL;
    if (!url) {
      findJdk();
      // A Trino the user already runs on the port is theirs to stop.
      const running = (await trinoStatus({ port })).running;
      say(`Starting Trino on port ${port} (the first start downloads it once; later starts take ~30 s)...`);
      if (!running) stopTrino = onShutdown('Trino', () => trinoDown({ port }));
      url = (await trinoUp({ databaseUrl, port, log: (m) => log.info(m) })).url;
    }
    const settings = trinoSettings({ ...process.env, TRINO_URL: url });
    for (const file of readdirSync(ANALYTICS)
      .filter((f) => f.endsWith('.sql'))
      .sort()) {
      const result = await runQuery(settings, readFileSync(path.join(ANALYTICS, file), 'utf8'));
      say(`sql/analytics/${file} (through Trino at ${url})`);
      say(
        formatTable(
          result.rows,
          result.columns.map((c) => c.name),
        ),
      );
      say('');
    }
  } catch (error) {
    say(`Trino step skipped: ${(error as Error).message}`);
  } finally {
    await stopTrino().catch(() => undefined);
  }
}

function describe(counts: Record<string, unknown>): string {
  return Object.entries(counts)
    .filter(([, v]) => typeof v === 'object' && v !== null)
    .map(([name, v]) => {
      const c = v as { received: number; appended: number; quarantined: number };
      return `${name} ${c.received} received/${c.appended} new${c.quarantined ? `/${c.quarantined} quarantined` : ''}`;
    })
    .join(', ');
}

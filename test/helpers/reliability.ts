/**
 * Harness of the reliability suite: a fresh database, the replay source (with its fault
 * switches), a pipeline whose source is recorded, and the invariants checked against what the
 * source served. Each case file builds one or more of these.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { log } from '../../functions/core/log';
import { aggregate, refreshAggregates } from '../../functions/core/pipeline/aggregate';
import { sourceConfig } from '../../functions/core/config';
import { backfill } from '../../functions/core/pipeline/backfill';
import { closePipeline, createPipeline, type Pipeline } from '../../functions/core/pipeline/context';
import { ingest } from '../../functions/core/pipeline/ingest';
import { RunFailed } from '../../functions/core/pipeline/run';
import { startReplayServer, type ReplayServer } from '../../infra/local/spacex-api/server';
import { createSourceClient, type SourceClient } from '../../functions/core/source/client';
import { CURRENT_TABLES, LINK_TABLES, RAW_TABLES, type ResourceName } from '../../functions/core/resources';
import type { RunSummary } from '../../functions/core/store/runs';
import { createDatabaseOn as emptyDatabaseOn, createTestDatabase, type TestDatabase } from './database';
import { checkInvariants, contentHashOf, isValid, RESOURCE_NAMES, type History, type SourceTruth } from './invariants';

// The cases fail runs on purpose; their error logs would drown the report. RELIABILITY_LOG_LEVEL=info shows them.
log.level = process.env.RELIABILITY_LOG_LEVEL ?? 'silent';

export const ROOT = path.resolve(__dirname, '../..');

export function resourceOfPath(urlPath: string): ResourceName | undefined {
  return /^\/v[45]\/(launches|payloads|launchpads|landpads|rockets)(\/|$)/.exec(urlPath)?.[1] as ResourceName | undefined;
}

/** Rewrites the documents of a response before the pipeline sees them (a source serving them). */
export type Transform = (urlPath: string, docs: unknown[]) => unknown[];

/**
 * Records every document the pipeline's source client returns, per load: within one load the
 * later occurrence of an id wins (as in the store). When a step ends, its loads are committed to
 * the history (or discarded when they rolled back), which is what the raw versions must equal.
 */
export class SourceRecorder {
  readonly history: History = new Map(RESOURCE_NAMES.map((name) => [name, new Map()]));
  readonly rejected: Record<ResourceName, unknown[]> = Object.fromEntries(RESOURCE_NAMES.map((n) => [n, []])) as unknown as Record<
    ResourceName,
    unknown[]
  >;
  /** The last document each committed load received, per resource and id. */
  readonly lastServed = new Map<ResourceName, Map<string, unknown>>(RESOURCE_NAMES.map((name) => [name, new Map()]));
  transform?: Transform;
  private pending = new Map<ResourceName, Map<string, { hash: string; doc: unknown }>>();
  private pendingRejected = new Map<ResourceName, unknown[]>();

  wrap(source: SourceClient): SourceClient {
    const record = (urlPath: string, docs: unknown[]): unknown[] => {
      const served = this.transform ? this.transform(urlPath, docs) : docs;
      const name = resourceOfPath(urlPath);
      if (name) for (const doc of served) this.see(name, doc);
      return served;
    };
    return {
      ...source,
      get: async (urlPath: string, etag?: string) => {
        const response = await source.get(urlPath, etag);
        if (response.status === 304) return response;
        const body = Array.isArray(response.body) ? record(urlPath, response.body) : record(urlPath, [response.body])[0];
        return { ...response, body };
      },
      // Every argument forwarded (the page size too): the cases must page as the pipeline asks.
      pages: async function* (...args: Parameters<SourceClient['pages']>) {
        for await (const page of source.pages(...args)) yield record(args[0], page);
      },
    };
  }

  private see(name: ResourceName, doc: unknown): void {
    if (isValid(name, doc)) {
      const loads = this.pending.get(name) ?? new Map<string, { hash: string; doc: unknown }>();
      loads.set((doc as { id: string }).id, { hash: contentHashOf(doc), doc });
      this.pending.set(name, loads);
    } else {
      this.pendingRejected.set(name, [...(this.pendingRejected.get(name) ?? []), doc]);
    }
  }

  /** The step committed its loads of these resources (all by default); the rest rolled back. */
  commit(resources: readonly ResourceName[] = RESOURCE_NAMES): void {
    for (const name of resources) {
      const history = this.history.get(name)!;
      for (const [id, { hash, doc }] of this.pending.get(name) ?? []) {
        history.set(id, [...(history.get(id) ?? []), hash]);
        this.lastServed.get(name)!.set(id, doc);
      }
      this.rejected[name].push(...(this.pendingRejected.get(name) ?? []));
    }
    this.discard();
  }

  discard(): void {
    this.pending.clear();
    this.pendingRejected.clear();
  }
}

export interface HarnessOptions {
  launches?: number;
  seed?: number;
  upcoming?: number;
  /** Source settings (SPACEX_API_*) on top of the suite's defaults. */
  env?: Record<string, string>;
  /** Refresh the aggregates after each loading run, as the command line does (default true). */
  announce?: boolean;
  /** An existing database (e.g. on the suite's own server); a fresh one on the test server otherwise. */
  database?: TestDatabase;
}

export class Harness {
  /** Tick of the source when the last committed backfill read launchpads and landpads. */
  padsTick = 0;
  private constructor(
    readonly db: TestDatabase,
    readonly replay: ReplayServer,
    readonly pipeline: Pipeline,
    readonly recorder: SourceRecorder,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const db = options.database ?? (await createTestDatabase());
    const replay = await startReplayServer({
      port: 0,
      launches: options.launches ?? 120,
      seed: options.seed ?? 11,
      upcoming: options.upcoming,
      tickSeconds: 0,
    });
    const env = {
      DATABASE_URL: db.url,
      SPACEX_API_URL: replay.url,
      SPACEX_API_PAGE_SIZE: '25',
      SPACEX_API_RETRIES: '3',
      SPACEX_API_TIMEOUT_MS: '2000',
      ...options.env,
    };
    const recorder = new SourceRecorder();
    const pipeline = createPipeline(env, {
      source: recorder.wrap(createSourceClient(sourceConfig(env))),
      announce: (options.announce ?? true) ? refreshAggregates('test') : undefined,
    });
    return new Harness(db, replay, pipeline, recorder);
  }

  get tick(): number {
    return this.replay.dataset.tick;
  }

  /** A backfill that must succeed; what it received becomes history. */
  async backfill(): Promise<RunSummary> {
    const tick = this.tick;
    const summary = await this.recorded(() => backfill(this.pipeline, 'test'));
    this.padsTick = tick;
    return summary;
  }

  async ingest(): Promise<RunSummary> {
    return this.recorded(() => ingest(this.pipeline, 'test'));
  }

  async aggregate(options: { full?: boolean } = {}): Promise<RunSummary> {
    return aggregate(this.pipeline, 'test', options);
  }

  /**
   * A run that must fail: returns the RunFailed. `committed` lists the resources whose loads
   * committed before the failure (a backfill loads one resource per transaction).
   */
  async failing(step: 'backfill' | 'ingest', committed: readonly ResourceName[] = []): Promise<RunFailed> {
    const tick = this.tick;
    let outcome: unknown;
    try {
      outcome = await (step === 'backfill' ? backfill(this.pipeline, 'test') : ingest(this.pipeline, 'test'));
    } catch (error) {
      outcome = error;
    }
    if (!(outcome instanceof RunFailed)) {
      this.recorder.discard();
      throw new Error(`expected the ${step} run to fail, got ${outcome instanceof Error ? outcome.stack : JSON.stringify(outcome)}`);
    }
    this.recorder.commit(committed);
    if (committed.includes('launchpads')) this.padsTick = tick;
    return outcome;
  }

  private async recorded(step: () => Promise<RunSummary>): Promise<RunSummary> {
    try {
      const summary = await step();
      this.recorder.commit();
      return summary;
    } catch (error) {
      this.recorder.discard();
      throw error;
    }
  }

  /**
   * Every document the source serves now (launchpads and landpads as the last backfill read
   * them); `overrides` replace documents by id (e.g. content a fault altered, or an older tick).
   */
  documents(overrides: Partial<Record<ResourceName, unknown[]>> = {}): Record<ResourceName, unknown[]> {
    const docs = this.sourceDocuments();
    for (const [name, replacements] of Object.entries(overrides) as [ResourceName, unknown[]][]) {
      const byId = new Map(docs[name].map((d) => [(d as { id: string }).id, d]));
      for (const doc of replacements) byId.set((doc as { id: string }).id, doc);
      docs[name] = [...byId.values()];
    }
    return docs;
  }

  private sourceDocuments(): Record<ResourceName, unknown[]> {
    const { dataset } = this.replay;
    return {
      rockets: dataset.rockets(),
      launchpads: dataset.launchpads(this.padsTick),
      landpads: dataset.landpads(this.padsTick),
      payloads: Array.from({ length: dataset.payloadCount }, (_, k) => dataset.payload(k)),
      launches: [...dataset.launches()],
    };
  }

  /** The truth the invariants are checked against: the source's documents and what was served. */
  truth(extra: Partial<SourceTruth> = {}): SourceTruth {
    return { documents: this.documents(), rejected: this.recorder.rejected, history: this.recorder.history, ...extra };
  }

  async violations(extra: Partial<SourceTruth> = {}): Promise<string[]> {
    return checkInvariants(this.db.pool, this.truth(extra));
  }

  async expectInvariants(extra: Partial<SourceTruth> = {}): Promise<void> {
    expect(await this.violations(extra)).toEqual([]);
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    return (await this.db.pool.query<{ n: number }>(`SELECT (${sql})::int AS n`, params)).rows[0].n;
  }

  async close(): Promise<void> {
    await closePipeline(this.pipeline);
    await this.replay.close();
    await this.db.drop();
  }
}

/** Everything of the current state a run could have touched, to compare before and after. */
export async function snapshot(pool: pg.Pool): Promise<Record<string, unknown[]>> {
  const tables = [
    ...RAW_TABLES,
    ...CURRENT_TABLES,
    ...LINK_TABLES,
    'quarantine',
    'launch_facts',
    'launch_aggregates',
    'launch_aggregates_by_year',
    'launch_aggregates_by_site',
    'aggregate_state',
    'source_state',
  ];
  const result: Record<string, unknown[]> = {};
  for (const table of tables) result[table] = (await pool.query(`SELECT * FROM ${table} ORDER BY 1, 2`)).rows;
  return result;
}

/**
 * The built command line (dist/cli.js), rebuilt when a source file is newer. `npm test` builds
 * first; the lock keeps two jest workers from writing the bundle at once.
 */
export function ensureCliBuilt(): string {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs,
      ),
    );
  const stale = () =>
    !existsSync(cli) || statSync(cli).mtimeMs < Math.max(newest(path.join(ROOT, 'functions')), newest(path.join(ROOT, 'sql')));
  if (stale()) {
    execFileSync('flock', ['/tmp/spacex-pipeline-build.lock', 'sh', '-c', `cd '${ROOT}' && node infra/build.mjs`], { stdio: 'inherit' });
  }
  return cli;
}

export interface CliResult {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the built command line as a child process (asynchronously: the replay source answers it from this process). */
export function runCli(args: string[], env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<CliResult> {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
    const child = spawn(process.execPath, [cli, ...args], { env: defined, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ args, code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The environment of a child process: this one's, minus anything that would change its configuration. */
export function cliEnv(vars: Record<string, string | undefined>): Record<string, string | undefined> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(DATABASE_URL|SPACEX_API_|LOG_LEVEL|EVENT_BUS_NAME|DATABASE_URL_SSM_PARAMETER|PG)/.test(k),
    ),
  );
  return { ...base, ...vars };
}

/**
 * Everything the replay source served between two ticks, per id in tick order: the history for
 * runs this process did not record (other processes). Checked in 'ordered' mode: a run may have
 * seen any tick in between, but never an older content after a newer one.
 */
export function replayHistory(dataset: ReplayServer['dataset'], from: number, to: number): History {
  const history: History = new Map(RESOURCE_NAMES.map((name) => [name, new Map<string, string[]>()]));
  const add = (name: ResourceName, docs: Iterable<unknown>) => {
    const ids = history.get(name)!;
    for (const doc of docs) {
      const id = (doc as { id: string }).id;
      ids.set(id, [...(ids.get(id) ?? []), contentHashOf(doc)]);
    }
  };
  add('rockets', dataset.rockets());
  add(
    'payloads',
    Array.from({ length: dataset.payloadCountAt(to) }, (_, k) => dataset.payload(k, to)),
  );
  for (let tick = from; tick <= to; tick++) {
    add('launchpads', dataset.launchpads(tick));
    add('landpads', dataset.landpads(tick));
    add('launches', dataset.launches(tick));
  }
  return history;
}

/** A fresh database on a given server (e.g. the suite's own, which cases stop and start). */
export async function createDatabaseOn(serverUrl: string): Promise<TestDatabase> {
  const db = await emptyDatabaseOn(serverUrl, 'r');
  db.pool.on('error', () => undefined); // idle clients lose their server when a case stops it
  return db;
}

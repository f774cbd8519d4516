/**
 * Runs a schedule: each step starts its processes (the built CLI, or the aggregate Lambda
 * handler with a crafted event), injects its faults at their moments, waits until every process
 * has ended, then checks every invariant of the fault suite against the database. The first
 * violation stops the soak with the seed, the step and the schedule so far.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startLocalPostgres } from '../../infra/local/postgres';
import { startReplayServer } from '../../infra/local/spacex-api/server';
import type { ResourceName } from '../../functions/core/resources';
import { checkInvariants, type SourceTruth } from '../helpers/invariants';
import { cliEnv, resourceOfPath } from '../helpers/reliability';
import { startFaultProxy } from './proxy';
import { bump, emptyFigures, type SoakFigures } from './report';
import { describeStep, type Fault, type ProcessKind, type ProcessPlan, type Step } from './schedule';
import { PostgresControl, type ProcessResult, type RunningProcess, sleep, startProcess } from './services';
import { freePort } from '../helpers/ports';
import { doubledVersions, lostDocuments, SoakHistory, sourceDocuments } from './truth';

export interface SoakSettings {
  seed: number;
  root: string;
  /** The built command line and the bundled aggregate-event runner. */
  cli: string;
  eventRunner: string;
  launches: number;
  upcoming: number;
  pageSize: number;
  apiTimeoutMs: number;
  watchdogMs: number;
  commit: string;
  /** Keep the PostgreSQL data directory afterwards (it is always kept after a violation). */
  keep: boolean;
  /** After this step, the soak itself writes a rocket's latest version twice: proves a violation stops it. */
  sabotageAt?: number;
  log: (line: string) => void;
}

export interface SoakResult {
  figures: SoakFigures;
  violation?: { step: Step; problems: string[]; results: ProcessResult[]; dataDir: string };
}

/** Waits `ms`, or less if `done` settles first; true when the whole time elapsed. */
async function elapsed(ms: number, done: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const slept = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), ms)));
  const outcome = await Promise.race([slept, done.then(() => false)]);
  clearTimeout(timer);
  return outcome;
}

/** How long each kind of process runs, learned from those that ran to the end (a moving average). */
class ExpectedDurations {
  private readonly ms: Record<ProcessKind, number> = { ingest: 600, backfill: 1000, aggregate: 400, event: 300 };

  of(kind: ProcessKind): number {
    return this.ms[kind];
  }

  observe(kind: ProcessKind, ms: number): void {
    this.ms[kind] = 0.8 * this.ms[kind] + 0.2 * ms;
  }

  /** From the step's start until its last process is expected to end. */
  span(processes: ProcessPlan[]): number {
    return Math.max(...processes.map((p) => p.delayMs + this.of(p.kind)));
  }
}

const RUNNING = /^run (\d+) \([^)]*\): still 'running'$/;

export async function runSoak(settings: SoakSettings, schedule: Step[]): Promise<SoakResult> {
  const started = Date.now();
  const figures = emptyFigures(settings.seed, settings.commit);
  const dataDir = path.join(settings.root, '.data', 'soak', `seed-${settings.seed}-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const pgPort = await freePort();
  const server = await startLocalPostgres({ dir: dataDir, port: pgPort, database: 'soak' });
  const control = new PostgresControl(server.dataDir);
  const pgProxy = await startFaultProxy({ host: '127.0.0.1', port: pgPort });
  const replay = await startReplayServer({ port: 0, launches: settings.launches, upcoming: settings.upcoming, seed: settings.seed });
  const apiProxy = await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(replay.url).port) });
  const checker = new pg.Pool({ connectionString: server.url, max: 2 });
  checker.on('error', () => undefined); // idle clients lose their server when the soak restarts it
  const proxiedUrl = new URL(server.url);
  proxiedUrl.port = String(pgProxy.port);
  const env = cliEnv({
    DATABASE_URL: proxiedUrl.toString(),
    SPACEX_API_URL: `http://127.0.0.1:${apiProxy.port}`,
    SPACEX_API_TIMEOUT_MS: String(settings.apiTimeoutMs),
    SPACEX_API_RETRIES: '3',
    SPACEX_API_PAGE_SIZE: String(settings.pageSize),
    LOG_LEVEL: 'warn',
  }) as NodeJS.ProcessEnv;
  const eventTemplate = JSON.parse(readFileSync(path.join(settings.root, 'test/events/launches-changed.json'), 'utf8'));
  const history = new SoakHistory(replay.dataset);
  /** The step each run was first seen after, and the steps that could leave a run 'running' (a process or its server died). */
  const runStep = new Map<number, number>();
  const abruptSteps = new Set<number>();
  let maxRunId = 0;
  const expected = new ExpectedDurations();
  let violation: SoakResult['violation'];

  const start = (plan: ProcessPlan): RunningProcess => {
    bump(figures.processes, plan.event ? `event` : plan.kind);
    if (!plan.event) return startProcess(settings.cli, [plan.kind], env, settings.watchdogMs);
    bump(figures.events, plan.event.variant);
    const event =
      plan.event.variant === 'no-detail'
        ? {}
        : {
            ...eventTemplate,
            id: `soak-${settings.seed}-${plan.event.delivery}`,
            time: new Date().toISOString(),
            detail: { runId: Math.max(1, maxRunId - plan.event.lag), step: 'ingest', changedLaunchIds: [] },
          };
    return startProcess(settings.eventRunner, [JSON.stringify(event)], env, settings.watchdogMs);
  };

  /**
   * A timed fault lands at its moment if the step's processes are still running then: a kill
   * needs its target alive, a restart or a cut something to hit. Otherwise it is missed.
   */
  const inject = async (step: Step, fault: Exclude<Fault, { rule: unknown }>, running: Promise<RunningProcess>[], ended: Promise<void>) => {
    if (fault.class === 'kill') {
      const target = await running[fault.target];
      const ms = fault.at * expected.of(step.processes[fault.target].kind);
      if ((await elapsed(ms, target.done)) && target.kill('schedule')) {
        bump(figures.injected, 'kill');
        abruptSteps.add(step.n);
      } else figures.killsMissed++;
      return;
    }
    if (!(await elapsed(fault.at * expected.span(step.processes), ended))) return;
    if (fault.class === 'pg-restart' || fault.class === 'pg-crash') {
      abruptSteps.add(step.n);
      await control.restart(fault.class === 'pg-crash' ? 'immediate' : 'fast', fault.downMs);
      bump(figures.injected, fault.class);
      return;
    }
    const proxy = fault.class === 'pg-cut' ? pgProxy : apiProxy;
    if (proxy.open === 0) {
      let over = false;
      void ended.then(() => (over = true));
      while (proxy.open === 0 && !over) await sleep(10);
      await elapsed(fault.jitterMs, ended);
    }
    const cut = proxy.cut();
    figures.connectionsCut[fault.class === 'pg-cut' ? 'pg' : 'api'] += cut;
    if (cut > 0) bump(figures.injected, fault.class);
    if (fault.class === 'pg-cut') abruptSteps.add(step.n);
  };

  const runStepProcesses = async (step: Step): Promise<ProcessResult[]> => {
    replay.advance(step.ticks);
    const from = replay.dataset.tick;
    const rule = step.faults.find((f): f is Extract<Fault, { rule: unknown }> => 'rule' in f);
    const usesBefore = replay.stats().faultsApplied;
    if (rule) replay.setFaults([rule.rule]);
    const running = step.processes.map((plan) => sleep(plan.delayMs).then(() => start(plan)));
    const timed = step.faults.filter((f): f is Exclude<Fault, { rule: unknown }> => !('rule' in f));
    const finished = Promise.all(running.map(async (p) => (await p).done));
    const ended = finished.then(() => undefined);
    const injections = timed.map((f) => inject(step, f, running, ended));
    // The tick moves even when the processes ended first, so the source's ticks follow the schedule alone.
    if (step.tickAtMs !== undefined) injections.push(elapsed(step.tickAtMs, ended).then(() => void replay.advance(1)));
    const results = await finished;
    await Promise.all(injections);
    replay.clearFaults();
    const uses = replay.stats().faultsApplied - usesBefore;
    const hostile = new Map<ResourceName, number>();
    if (rule && uses > 0) {
      bump(figures.injected, rule.class);
      figures.apiRuleUses += uses;
      const resource = resourceOfPath(rule.rule.match ?? '');
      if (rule.rule.hostile && resource) hostile.set(resource, uses);
    }
    history.add(from, replay.dataset.tick, hostile);
    for (const [k, r] of results.entries()) {
      if (r.code === 0 && !r.killed) expected.observe(step.processes[k].kind, r.ms);
      if (r.killed === 'watchdog') abruptSteps.add(step.n);
      const outcome = r.killed === 'schedule' ? 'killed' : r.killed === 'watchdog' ? 'hung' : r.code === 0 ? 'succeeded' : 'failed';
      figures.outcomes[outcome]++;
    }
    return results;
  };

  const check = async (step: Step, results: ProcessResult[]): Promise<string[]> => {
    const problems: string[] = [];
    const failed = results.some((r) => r.code !== 0);
    if (step.kind === 'settle' && failed) {
      problems.push(`settle: a fault-free backfill failed (exit ${results[0].code}): ${results[0].stderr.trim().slice(-1500)}`);
    }
    const truth: SourceTruth = { history: history.history, historyMode: 'ordered', aggregatesBehind: step.kind === 'work' && failed };
    const documents = step.kind === 'settle' ? sourceDocuments(replay.dataset) : undefined;
    if (documents) truth.documents = documents;
    const { rows } = await checker.query<{ run_id: number; status: string }>('SELECT run_id, status FROM pipeline_runs ORDER BY run_id');
    for (const r of rows) if (!runStep.has(r.run_id)) runStep.set(r.run_id, step.n);
    maxRunId = rows.length ? rows[rows.length - 1].run_id : 0;
    // A process that dies cannot close its run: the next run to start marks it failed. Until a
    // run has started after the step that killed it, its 'running' is not a violation.
    const lastStep = runStep.get(maxRunId);
    const awaitingSweep = new Set(
      rows
        .filter((r) => r.status === 'running' && runStep.get(r.run_id) === lastStep && abruptSteps.has(lastStep ?? -1))
        .map((r) => r.run_id),
    );
    figures.abandonedRunsAwaitingSweep = Math.max(figures.abandonedRunsAwaitingSweep, awaitingSweep.size);
    for (const problem of await checkInvariants(checker, truth)) {
      const running = RUNNING.exec(problem);
      if (!running || !awaitingSweep.has(Number(running[1]))) problems.push(problem);
    }
    figures.invariantChecks++;
    figures.documentsDoubled = await doubledVersions(checker);
    figures.documentsDoubledMax = Math.max(figures.documentsDoubledMax, figures.documentsDoubled);
    if (documents) figures.documentsLost += await lostDocuments(checker, documents);
    return problems;
  };

  try {
    // Step 0: the schema and a first complete load, fault-free, checked strictly.
    const initial: Step = { n: 0, kind: 'settle', ticks: 0, processes: [{ kind: 'backfill', delayMs: 0 }], faults: [] };
    for (const step of [initial, ...schedule]) {
      for (const f of step.faults) bump(figures.scheduled, f.class);
      const stepStarted = Date.now();
      const results = await runStepProcesses(step);
      if (step.n === settings.sabotageAt) {
        await checker.query(
          'INSERT INTO raw_rockets (id, content_hash, document, run_id) ' +
            'SELECT id, content_hash, document, run_id FROM raw_rockets ORDER BY version_id DESC LIMIT 1',
        );
      }
      const checkStarted = Date.now();
      const problems = await check(step, results);
      const checkMs = Date.now() - checkStarted;
      if (step.n > 0) {
        figures.steps++;
        if (step.kind === 'settle') figures.settles++;
      }
      const ends = results.map((r) => `${r.killed ? `killed:${r.killed}` : r.code}/${r.ms}ms`).join(' ');
      const took = `${Date.now() - stepStarted} ms (checks ${checkMs} ms)`;
      settings.log(`${describeStep(step)} -> [${ends}] ${took}${problems.length ? ' VIOLATION' : ''}`);
      if (problems.length) {
        figures.violations += problems.length;
        violation = { step, problems, results, dataDir };
        break;
      }
    }
  } finally {
    figures.ticks = replay.dataset.tick;
    figures.wallSeconds = (Date.now() - started) / 1000;
    await checker.end().catch(() => undefined);
    await pgProxy.close();
    await apiProxy.close();
    await replay.close();
    server.stop();
    if (!settings.keep && !violation) rmSync(dataDir, { recursive: true, force: true });
  }
  return { figures, violation };
}

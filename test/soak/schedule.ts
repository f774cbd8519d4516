/**
 * The soak's schedule: every step, its processes and its faults, drawn from one seed before
 * anything runs, so the same seed always gives the same schedule (outcomes may still differ
 * with timing). Nothing here touches a process, a socket or a database.
 */
import type { FaultRule } from '../../infra/local/spacex-api/faults';
import { Random } from './prng';

export type ProcessKind = 'ingest' | 'backfill' | 'aggregate' | 'event';

/** An aggregate event for the Lambda handler: its run id is `lag` runs before the newest. */
export interface EventPlan {
  variant: 'duplicated' | 'late' | 'out-of-order' | 'no-detail';
  lag: number;
  /** Copies of one delivery share the event id. */
  delivery: number;
}

export interface ProcessPlan {
  kind: ProcessKind;
  /** Start this long after the step starts. */
  delayMs: number;
  event?: EventPlan;
}

export const API_FAULTS = [
  'api-5xx',
  'api-429',
  'api-timeout',
  'api-reset',
  'api-truncated',
  'api-invalid',
  'api-hostile',
  'api-duplicate',
] as const;
export const TIMED_FAULTS = ['kill', 'pg-restart', 'pg-crash', 'pg-cut', 'api-cut'] as const;
export type ApiFaultClass = (typeof API_FAULTS)[number];
export type TimedFaultClass = (typeof TIMED_FAULTS)[number];
export type FaultClass = ApiFaultClass | TimedFaultClass;

/**
 * Moments are fractions of how long the processes are expected to run (the runner learns it as
 * they run), not milliseconds: a process takes 150 ms on an idle machine and 2 s on a loaded
 * one, and a fault timed in milliseconds would land in a different part of its life.
 */
type Moment = number;

/** PostgreSQL stopped (fast: a deploy; immediate: a crash) at `at` of the step and started again `downMs` later. */
interface Restart {
  at: Moment;
  downMs: number;
}

/**
 * Every connection through the proxy cut at once: at `at` of the step, or if nothing is
 * connected then, `jitterMs` after the next connection opens.
 */
interface Cut {
  at: Moment;
  jitterMs: number;
}

export type Fault =
  | { class: ApiFaultClass; rule: FaultRule }
  /** SIGKILL of process `target` (an index into the step's processes) at `at` of its expected run. */
  | { class: 'kill'; target: number; at: Moment }
  | ({ class: 'pg-restart' } & Restart)
  | ({ class: 'pg-crash' } & Restart)
  | ({ class: 'pg-cut' } & Cut)
  | ({ class: 'api-cut' } & Cut);

export interface Step {
  n: number;
  /** 'settle': a fault-free backfill, then the strict checks (the store must equal the source). */
  kind: 'work' | 'settle';
  /** Ticks the source's clock moves before the step starts (launches fly and slip). */
  ticks: number;
  /** The clock moves one more tick this long into the step, while processes run. */
  tickAtMs?: number;
  processes: ProcessPlan[];
  faults: Fault[];
}

export interface ScheduleOptions {
  seed: number;
  steps: number;
  /** A settle step after this many work steps (and always as the last step). */
  settleEvery: number;
  /** The CLI's SPACEX_API_TIMEOUT_MS: an injected delay longer than it is a timeout. */
  apiTimeoutMs: number;
}

const INGEST_PATHS = ['/v5/launches/latest', '/v5/launches/upcoming', '/v4/payloads/query', '/v5/launches/query'];
const BACKFILL_PATHS = ['/v4/rockets/query', '/v4/launchpads/query', '/v4/landpads/query', '/v4/payloads/query', '/v5/launches/query'];

export function generateSchedule(options: ScheduleOptions): Step[] {
  const random = new Random(options.seed);
  const steps: Step[] = [];
  let delivery = 0;
  for (let n = 1; n <= options.steps; n++) {
    const settle = n === options.steps || n % (options.settleEvery + 1) === 0;
    if (settle) {
      steps.push({ n, kind: 'settle', ticks: 0, processes: [{ kind: 'backfill', delayMs: 0 }], faults: [] });
      continue;
    }
    const processes = drawProcesses(random, () => ++delivery);
    const loading = processes.some((p) => p.kind === 'ingest' || p.kind === 'backfill');
    const ticks = loading ? random.weighted({ 0: 12, 1: 3, 2: 1 }) : '0';
    const step: Step = { n, kind: 'work', ticks: Number(ticks), processes, faults: [] };
    if (loading && random.chance(0.1)) step.tickAtMs = random.int(50, 1500);
    const faultCount = random.chance(0.5) ? (random.chance(0.3) ? 2 : 1) : 0;
    // At most one API rule per step, so each rule's uses are counted exactly (the server counts them all together).
    for (let f = 0; f < faultCount; f++) {
      step.faults.push(drawFault(random, processes, options.apiTimeoutMs, !step.faults.some((x) => 'rule' in x)));
    }
    steps.push(step);
  }
  return steps;
}

function drawProcesses(random: Random, nextDelivery: () => number): ProcessPlan[] {
  const count = Number(random.weighted({ 1: 50, 2: 20, 3: 14, 4: 8, 5: 8 }));
  const processes: ProcessPlan[] = [];
  while (processes.length < count) {
    const kind = random.weighted({ ingest: 45, backfill: 20, aggregate: 10, event: 25 });
    const delayMs = random.int(0, 300);
    if (kind !== 'event') {
      processes.push({ kind, delayMs });
      continue;
    }
    const variant = random.weighted({ duplicated: 35, late: 20, 'out-of-order': 25, 'no-detail': 20 });
    const room = count - processes.length;
    if (variant === 'duplicated') {
      // At-least-once delivery: the same event (same id) delivered up to three times at once.
      const event = { variant, lag: random.int(0, 2), delivery: nextDelivery() };
      const copies = Math.min(room, random.int(2, 3));
      for (let k = 0; k < copies; k++) processes.push({ kind, delayMs: delayMs + random.int(0, 50), event });
    } else if (variant === 'out-of-order') {
      // Newer runs' events delivered before older ones'.
      const events = Math.min(room, random.int(2, 3));
      for (let k = 0; k < events; k++)
        processes.push({ kind, delayMs: delayMs + 60 * k, event: { variant, lag: k, delivery: nextDelivery() } });
    } else {
      const lag = variant === 'late' ? random.int(5, 60) : 0;
      processes.push({ kind, delayMs, event: { variant, lag, delivery: nextDelivery() } });
    }
  }
  return processes;
}

function drawFault(random: Random, processes: ProcessPlan[], apiTimeoutMs: number, apiAllowed: boolean): Fault {
  const kinds = new Set(processes.map((p) => p.kind));
  const loading = kinds.has('ingest') || kinds.has('backfill');
  const weights: Partial<Record<FaultClass, number>> = { kill: 14, 'pg-restart': 5, 'pg-crash': 4, 'pg-cut': 7 };
  if (loading) {
    weights['api-cut'] = 6;
    if (apiAllowed) for (const api of API_FAULTS) weights[api] = 6;
  }
  const faultClass = random.weighted(weights as Record<FaultClass, number>);
  const at = Number(random.next().toFixed(3));
  switch (faultClass) {
    case 'kill':
      return { class: faultClass, target: random.int(0, processes.length - 1), at };
    case 'pg-restart':
    case 'pg-crash':
      return { class: faultClass, at, downMs: random.int(0, 1000) };
    case 'pg-cut':
    case 'api-cut':
      return { class: faultClass, at, jitterMs: random.int(0, 300) };
    default: {
      const paths = [...(kinds.has('ingest') ? INGEST_PATHS : []), ...(kinds.has('backfill') ? BACKFILL_PATHS : [])];
      return { class: faultClass, rule: apiRule(random, faultClass, random.pick([...new Set(paths)]), apiTimeoutMs) };
    }
  }
}

function apiRule(random: Random, faultClass: ApiFaultClass, match: string, apiTimeoutMs: number): FaultRule {
  switch (faultClass) {
    case 'api-5xx':
      return { match, status: random.pick([500, 502, 503, 504]), times: random.int(1, 5) };
    case 'api-429':
      return { match, status: 429, retryAfter: 1, times: random.int(1, 2) };
    case 'api-timeout':
      return { match, latencyMs: apiTimeoutMs + 500, times: random.int(1, 2) };
    case 'api-reset':
      return { match, reset: true, times: random.int(1, 4) };
    case 'api-truncated':
      return { match, truncate: true, times: random.int(1, 3) };
    case 'api-invalid':
      return { match, invalidDocument: true, times: random.int(1, 3) };
    case 'api-hostile':
      return { match, hostile: true, times: random.int(1, 2) };
    case 'api-duplicate':
      return { match, duplicateId: true, times: random.int(1, 2) };
  }
}

/** One line per step, as printed with a violation (the schedule so far). */
export function describeStep(step: Step): string {
  if (step.kind === 'settle') return `#${step.n} settle: fault-free backfill, strict checks`;
  const processes = step.processes.map((p, k) => {
    const what = p.event ? `event(${p.event.variant}, lag ${p.event.lag}, delivery ${p.event.delivery})` : p.kind;
    return `p${k}:${what}@${p.delayMs}ms`;
  });
  const faults = step.faults.map((f) => {
    if ('rule' in f) return `${f.class}(${JSON.stringify(f.rule)})`;
    const at = `${Math.round(f.at * 100)}%`;
    if (f.class === 'kill') return `kill(p${f.target} at ${at} of its run)`;
    if (f.class === 'pg-restart' || f.class === 'pg-crash') return `${f.class}(at ${at} of the step, down ${f.downMs}ms)`;
    return `${f.class}(at ${at} of the step, or +${f.jitterMs}ms after a connection opens)`;
  });
  const clock = `tick+${step.ticks}${step.tickAtMs !== undefined ? `, +1 at ${step.tickAtMs}ms` : ''}`;
  return `#${step.n} ${clock} [${processes.join(', ')}]${faults.length ? ` faults: ${faults.join(', ')}` : ''}`;
}

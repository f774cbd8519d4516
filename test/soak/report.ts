/** The soak's figures, kept as it runs and printed at the end (the README's reliability table). */
import { API_FAULTS, type FaultClass, TIMED_FAULTS } from './schedule';

export interface SoakFigures {
  seed: number;
  steps: number;
  settles: number;
  commit: string;
  /** Processes started, per kind, and how they ended. */
  processes: Record<string, number>;
  outcomes: { succeeded: number; failed: number; killed: number; hung: number };
  /** Faults in the schedule, per class. */
  scheduled: Partial<Record<FaultClass, number>>;
  /**
   * Faults that took effect, per class: an API rule used at least once, a SIGKILL that found
   * its process running, a restart done, a cut that cut at least one connection.
   */
  injected: Partial<Record<FaultClass, number>>;
  apiRuleUses: number;
  killsMissed: number;
  connectionsCut: { pg: number; api: number };
  events: Record<string, number>;
  ticks: number;
  invariantChecks: number;
  violations: number;
  /** Raw versions repeating the content of the version before them (final count; the most seen after any step). */
  documentsDoubled: number;
  documentsDoubledMax: number;
  /** Source documents not stored as their current version after a fault-free backfill, summed over the settle steps. */
  documentsLost: number;
  /** Runs left 'running' by a process that died, waiting for the next run to mark them (most at once). */
  abandonedRunsAwaitingSweep: number;
  wallSeconds: number;
}

export function emptyFigures(seed: number, commit: string): SoakFigures {
  return {
    seed,
    steps: 0,
    settles: 0,
    commit,
    processes: {},
    outcomes: { succeeded: 0, failed: 0, killed: 0, hung: 0 },
    scheduled: {},
    injected: {},
    apiRuleUses: 0,
    killsMissed: 0,
    connectionsCut: { pg: 0, api: 0 },
    events: {},
    ticks: 0,
    invariantChecks: 0,
    violations: 0,
    documentsDoubled: 0,
    documentsDoubledMax: 0,
    documentsLost: 0,
    abandonedRunsAwaitingSweep: 0,
    wallSeconds: 0,
  };
}

export const bump = <K extends string>(counts: Partial<Record<K, number>>, key: K, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

export function totalInjected(f: SoakFigures): number {
  return Object.values(f.injected).reduce((a, b) => a + (b ?? 0), 0);
}

export function markdown(f: SoakFigures): string {
  const classes = [...API_FAULTS, ...TIMED_FAULTS].filter((c) => f.scheduled[c] || f.injected[c]);
  const injectedClasses = classes.filter((c) => f.injected[c]);
  const list = (counts: Record<string, number | undefined>) =>
    Object.entries(counts)
      .filter(([, n]) => n)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  const rows: [string, string][] = [
    ['seed', String(f.seed)],
    ['commit', f.commit],
    ['steps (of which settle steps)', `${f.steps} (${f.settles})`],
    ['processes started', `${Object.values(f.processes).reduce((a, b) => a + b, 0)} (${list(f.processes)})`],
    ['process outcomes', list(f.outcomes)],
    ['aggregate events delivered', list(f.events)],
    ['source ticks (flights and slips)', String(f.ticks)],
    [
      'faults injected (took effect) / scheduled',
      `${totalInjected(f)} of ${injectedClasses.length} classes / ${Object.values(f.scheduled).reduce((a, b) => a + (b ?? 0), 0)}`,
    ],
    ['faults by class (injected / scheduled)', classes.map((c) => `${c} ${f.injected[c] ?? 0}/${f.scheduled[c] ?? 0}`).join(', ')],
    ['API fault rule uses', String(f.apiRuleUses)],
    ['SIGKILLs (landed; missed: process already ended)', `${f.injected.kill ?? 0}; ${f.killsMissed}`],
    ['PostgreSQL restarts (fast stop; crash: immediate stop)', `${f.injected['pg-restart'] ?? 0}; ${f.injected['pg-crash'] ?? 0}`],
    [
      'proxy cuts (PostgreSQL; API), connections cut',
      `${f.injected['pg-cut'] ?? 0}; ${f.injected['api-cut'] ?? 0}, ${f.connectionsCut.pg}; ${f.connectionsCut.api}`,
    ],
    ['invariant checks run (each: all five invariants)', String(f.invariantChecks)],
    ['violations', String(f.violations)],
    ['documents lost', String(f.documentsLost)],
    ['documents doubled (final; most after any step)', `${f.documentsDoubled}; ${f.documentsDoubledMax}`],
    ["runs left 'running' by a dead process until the next run (most at once)", String(f.abandonedRunsAwaitingSweep)],
    ['wall time', `${Math.round(f.wallSeconds)} s`],
  ];
  return ['| Soak | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

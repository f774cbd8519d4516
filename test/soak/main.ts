/**
 * `npm run soak [-- --quick] [--seed N] [--steps N] [--keep] [--out DIR] [--sabotage-at N]`: a seeded random
 * schedule of pipeline steps and faults over a real PostgreSQL and the simulated API. Exits 1
 * on the first invariant violation, after printing the seed, the step and the schedule so far.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { markdown, totalInjected } from './report';
import { runSoak } from './runner';
import { describeStep, generateSchedule } from './schedule';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seed: { type: 'string' },
    steps: { type: 'string' },
    keep: { type: 'boolean', default: false },
    out: { type: 'string' },
    'sabotage-at': { type: 'string' },
  },
});

const whole = (name: string, value: string | undefined, fallback: number) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`--${name} must be a positive whole number, got "${value}"\n`);
    process.exit(2);
  }
  return n;
};

async function main(): Promise<number> {
  const root = process.cwd();
  const quick = values.quick;
  const seed = whole('seed', values.seed, Math.floor(Math.random() * 2 ** 31) + 1);
  const steps = whole('steps', values.steps, quick ? 36 : 1000);
  const out = path.resolve(values.out ?? path.join(root, '.data', 'soak', 'results'));
  const apiTimeoutMs = 2000;
  const schedule = generateSchedule({ seed, steps, settleEvery: quick ? 11 : 24, apiTimeoutMs });
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
  } catch {
    // not a checkout: the figures say so
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, `schedule-${seed}.txt`), `${schedule.map(describeStep).join('\n')}\n`);
  process.stdout.write(`soak: seed ${seed}, ${steps} steps${quick ? ' (quick)' : ''}; schedule in ${out}/schedule-${seed}.txt\n`);

  const { figures, violation } = await runSoak(
    {
      seed,
      root,
      cli: path.join(root, 'dist', 'cli.js'),
      eventRunner: path.join(path.dirname(process.argv[1]), 'aggregate-event.js'),
      launches: quick ? 80 : 320,
      upcoming: quick ? 40 : 280,
      pageSize: 25,
      apiTimeoutMs,
      watchdogMs: 60_000,
      commit,
      keep: values.keep,
      sabotageAt: values['sabotage-at'] === undefined ? undefined : whole('sabotage-at', values['sabotage-at'], 0),
      log: (line) => process.stdout.write(`${line}\n`),
    },
    schedule,
  );
  const table = markdown(figures);
  writeFileSync(path.join(out, `figures-${seed}.json`), `${JSON.stringify({ ...figures, violation }, null, 2)}\n`);
  writeFileSync(path.join(out, `figures-${seed}.md`), `${table}\n`);
  process.stdout.write(`\n${table}\n`);
  if (violation) {
    const { step, problems, results, dataDir } = violation;
    const lines = [
      '',
      `SOAK VIOLATION: seed ${seed}, step ${step.n} (reproduce: npm run soak -- --seed ${seed} --steps ${steps}${quick ? ' --quick' : ''})`,
      ...problems.map((p) => `  violated: ${p}`),
      'processes of the step:',
      ...results.map((r, k) => `  p${k}: exit ${r.code} signal ${r.signal} ${r.killed ?? ''} ${r.ms} ms ${r.stderr.trim().slice(-600)}`),
      `schedule so far (database kept in ${dataDir}):`,
      ...schedule.filter((s) => s.n <= step.n).map((s) => `  ${describeStep(s)}`),
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
    return 1;
  }
  process.stdout.write(`\nsoak passed: seed ${seed}, ${figures.steps} steps, ${totalInjected(figures)} faults injected, 0 violations\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`soak could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);

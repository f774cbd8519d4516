/** Invariant 5: pipeline_runs tells the truth about every run. */
import type pg from 'pg';
import { RESOURCE_NAMES } from './truth';

export interface RunRow {
  run_id: number;
  step: string;
  trigger: string | null;
  status: string;
  error: string | null;
  finished_at: Date | null;
  counts: Record<string, unknown>;
}

export async function runs(pool: pg.Pool): Promise<RunRow[]> {
  return (await pool.query<RunRow>('SELECT run_id, step, trigger, status, error, finished_at, counts FROM pipeline_runs ORDER BY run_id'))
    .rows;
}

export async function checkRuns(pool: pg.Pool): Promise<string[]> {
  const problems: string[] = [];
  const all = await runs(pool);
  const known = new Set(all.map((r) => r.run_id));
  const appended = new Map<string, number>();
  for (const name of RESOURCE_NAMES) {
    const { rows } = await pool.query<{ run_id: number; n: number }>(`SELECT run_id, count(*)::int AS n FROM raw_${name} GROUP BY run_id`);
    for (const r of rows) {
      appended.set(`${r.run_id}/${name}`, r.n);
      if (!known.has(r.run_id)) problems.push(`raw_${name}: ${r.n} versions of run ${r.run_id}, which has no run record`);
    }
  }
  for (const run of all) {
    const tag = `run ${run.run_id} (${run.step}, ${run.status})`;
    if (run.status === 'running') problems.push(`${tag}: still 'running'`);
    if (run.status !== 'running' && !run.finished_at) problems.push(`${tag}: no finished_at`);
    if (run.status === 'failed' && !run.error?.trim()) problems.push(`${tag}: failed without an error`);
    if (run.status === 'succeeded' && run.error !== null) problems.push(`${tag}: succeeded with an error`);
    if (run.status === 'succeeded' && run.step === 'backfill') {
      const absent = RESOURCE_NAMES.filter((name) => typeof run.counts[name] !== 'object');
      if (absent.length) problems.push(`${tag}: counts lack ${absent.join(', ')}`);
    }
    for (const name of RESOURCE_NAMES) {
      const reported = run.counts[name] as { received?: number; appended?: number; quarantined?: number } | undefined;
      const actual = appended.get(`${run.run_id}/${name}`) ?? 0;
      const claimed = reported?.appended ?? 0;
      if (claimed !== actual) problems.push(`${tag}: counts say ${claimed} ${name} appended, raw_${name} holds ${actual} of its versions`);
      if (reported && (reported.received ?? 0) < claimed + (reported.quarantined ?? 0)) {
        problems.push(`${tag}: ${name} received ${reported.received} < appended ${claimed} + quarantined ${reported.quarantined}`);
      }
    }
  }
  return problems;
}

/** The four questions through Trino, against the same questions asked of PostgreSQL directly. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { runQuery, trinoSettings } from '../../functions/core/query/trino';
import { trinoDown, trinoUp } from '../../infra/local/trino';
import { BASELINE_QUESTIONS, type QuestionName } from '../helpers/baseline-questions';
import { flag, median, ms, r1, ROOT, say, TRINO_PORT, type TrinoQueryResult } from './common';

/** The text inside each `Query[...]` of a Trino plan (brackets balanced, quotes respected). */
function pushedDownQueries(plan: string): string[] {
  const found: string[] = [];
  for (let at = plan.indexOf('Query['); at >= 0; at = plan.indexOf('Query[', at + 1)) {
    let depth = 0;
    let quote: string | undefined;
    for (let k = at + 'Query'.length; k < plan.length; k++) {
      const c = plan[k];
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[') depth++;
      else if (c === ']' && --depth === 0) {
        found.push(plan.slice(at + 'Query['.length, k));
        at = k;
        break;
      }
    }
  }
  return found;
}

export async function benchTrino(databaseUrl: string): Promise<{ port: number; queries: TrinoQueryResult[] } | { error: string }> {
  say(`trino on port ${TRINO_PORT}`);
  let url: string;
  try {
    url = (await trinoUp({ databaseUrl, port: TRINO_PORT, log: (m) => say(`[trino] ${m}`) })).url;
  } catch (error) {
    say(`trino could not start: ${(error as Error).message}`);
    return { error: (error as Error).message.split('\n')[0] };
  }
  const settings = trinoSettings({ TRINO_URL: url });
  const direct = new pg.Client({ connectionString: databaseUrl });
  await direct.connect();
  const queries: TrinoQueryResult[] = [];
  try {
    for (const file of Object.keys(BASELINE_QUESTIONS) as QuestionName[]) {
      const sql = readFileSync(path.join(ROOT, 'sql/analytics', `${file}.sql`), 'utf8');
      await runQuery(settings, sql); // warm-up: metadata and JIT
      const runs: number[] = [];
      for (let k = 0; k < 3; k++) {
        const t0 = process.hrtime.bigint();
        await runQuery(settings, sql);
        runs.push(r1(ms(t0)));
      }
      const pgRuns: number[] = [];
      for (let k = 0; k < 3; k++) {
        const t0 = process.hrtime.bigint();
        await direct.query(BASELINE_QUESTIONS[file]);
        pgRuns.push(ms(t0));
      }
      const plan = (
        await runQuery(
          settings,
          `EXPLAIN ${sql
            .replace(/^\s*--.*$/gm, '')
            .trim()
            .replace(/;\s*$/, '')}`,
        )
      ).rows
        .map((r) => String(Object.values(r)[0]))
        .join('\n');
      const lines = plan.split('\n');
      const relevant = lines
        .filter((l) => /(Aggregate|Join|TableScan|ScanFilterProject|ScanProject|ScanFilter)\[|table = /.test(l))
        .map((l) => l.trim().slice(0, 240));
      queries.push({
        query: file,
        trinoMsMedian: r1(median(runs)),
        trinoMsRuns: runs,
        postgresMsMedian: r1(median(pgRuns)),
        trinoAggregateNodes: lines.filter((l) => /Aggregate\[/.test(l)).length,
        trinoJoinNodes: lines.filter((l) => /(Inner|Left|Right|Full|Cross)?Join\[/.test(l)).length,
        pushedDown: /Query\[/.test(plan),
        pushedDownSql: pushedDownQueries(plan),
        planLines: relevant.length ? relevant : lines.slice(0, 30),
      });
      say(`trino ${file}: ${r1(median(runs))} ms (postgres ${r1(median(pgRuns))} ms)`);
      for (const q of queries[queries.length - 1].pushedDownSql) say(`  pushed down: ${q.slice(0, 400)}`);
    }
  } finally {
    await direct.end();
    if (!flag('--keep-trino')) await trinoDown({ port: TRINO_PORT }).catch(() => undefined);
  }
  return { port: TRINO_PORT, queries };
}

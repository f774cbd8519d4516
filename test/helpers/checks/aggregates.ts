/** Invariant 4: the aggregates equal a recomputation from scratch, in SQL and independently in JS. */
import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import { MEASURES, SITE_MEASURES } from '../../../functions/core/pipeline/aggregate';
import recompute from '../../../sql/aggregate/recompute.sql';
import { expectedAggregates, type LaunchDoc, type Measures, type PayloadDoc, type SiteMeasures } from '../expected';
import { short, type SourceTruth } from './truth';

export { SITE_MEASURES };

/** Numbers rounded to 12 significant digits: the two computations may differ in the last bits only. */
const rounded = (v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v);

function compareMeasures(
  what: string,
  actual: Record<string, unknown> | undefined,
  expected: Measures | Record<string, unknown>,
  exact: boolean,
): string[] {
  if (!actual) return [`${what}: missing`];
  const wrong = MEASURES.filter((m) => {
    const a = actual[m] ?? null;
    const e = (expected as Record<string, unknown>)[m] ?? null;
    return exact ? !isDeepStrictEqual(a, e) : rounded(a) !== rounded(e);
  });
  return wrong.map((m) => `${what}.${m} = ${String(actual[m])}, expected ${String((expected as Record<string, unknown>)[m])}`);
}

/**
 * sql/aggregate/recompute.sql, run: the overall row, one row per year (ordered by year) and one
 * row per launchpad with past launches (ordered by id).
 */
export async function recomputeAggregates(pool: pg.Pool | pg.PoolClient): Promise<{
  overall: Record<string, unknown>;
  byYear: Record<string, unknown>[];
  bySite: Record<string, unknown>[];
}> {
  // Two statements: the driver answers with one result per statement.
  const results = (await pool.query(recompute)) as unknown as pg.QueryResult[];
  if (!Array.isArray(results) || results.length !== 2) throw new Error('recompute.sql: expected two results (by year, by site)');
  const [overall, ...byYear] = results[0].rows;
  return { overall, byYear, bySite: results[1].rows };
}

/** A numeric's text without trailing fractional zeros: 12.500 and 12.5 are the same sum. */
export const exactNumeric = (v: unknown): unknown =>
  typeof v === 'string' && /^-?\d+\.\d+$/.test(v) ? v.replace(/0+$/, '').replace(/\.$/, '') : v;

/** launch_aggregates_by_site compared row by row, keyed by launchpad id. */
function compareSites(
  what: string,
  actual: Record<string, unknown>[],
  expected: Map<string, SiteMeasures | Record<string, unknown>>,
  exact: boolean,
): string[] {
  const ids = actual.map((r) => String(r.launchpad_id)).sort();
  const expectedIds = [...expected.keys()].sort();
  if (!isDeepStrictEqual(ids, expectedIds))
    return [`launch_aggregates_by_site: launchpads ${short(ids)} but ${what} has ${short(expectedIds)}`];
  const problems: string[] = [];
  for (const row of actual) {
    const e = expected.get(String(row.launchpad_id)) as Record<string, unknown>;
    for (const m of SITE_MEASURES) {
      const a = row[m];
      const ok = exact
        ? isDeepStrictEqual(exactNumeric(a), exactNumeric(e[m]))
        : m === 'payload_mass_kg_sum'
          ? rounded(Number(a)) === rounded(Number(e[m]))
          : Number(a) === e[m];
      if (!ok) problems.push(`by_site[${String(row.launchpad_id)}] vs ${what}: ${m} = ${String(a)}, expected ${String(e[m])}`);
    }
  }
  return problems;
}

/**
 * Raw versions the aggregates do not reflect yet, per resource: those past the version each
 * aggregate state row says it reached.
 */
export async function unreflectedVersions(pool: pg.Pool): Promise<{ launches: number; payloads: number }> {
  const reached = (entity: string) => `coalesce((SELECT s.last_version_id FROM aggregate_state s WHERE s.entity = '${entity}'), 0)`;
  const { rows } = await pool.query<{ launches: number; payloads: number }>(`
    SELECT (SELECT count(*) FROM raw_launches r WHERE r.version_id > ${reached('launches')})::int AS launches,
           (SELECT count(*) FROM raw_payloads r WHERE r.version_id > ${reached('payloads')})::int AS payloads`);
  return rows[0];
}

export async function checkAggregates(pool: pg.Pool, truth: SourceTruth = {}): Promise<string[]> {
  const unreflected = await unreflectedVersions(pool);
  if (unreflected.launches + unreflected.payloads > 0) {
    if (truth.aggregatesBehind) return [];
    return [`aggregates: behind the raw store (${unreflected.launches} launch and ${unreflected.payloads} payload versions not reflected)`];
  }
  const problems: string[] = [];
  const { rows: overall } = await pool.query(`SELECT ${MEASURES.join(', ')} FROM launch_aggregates`);
  const { rows: years } = await pool.query(`SELECT year, ${MEASURES.join(', ')} FROM launch_aggregates_by_year ORDER BY year`);
  // A database of the first release (upgrade tests) has no per-site table (migration 003) yet.
  const { rows: hasSites } = await pool.query<{ ok: boolean }>("SELECT to_regclass('launch_aggregates_by_site') IS NOT NULL AS ok");
  const sitesKept = hasSites[0].ok;
  const { rows: sites } = sitesKept
    ? await pool.query(`SELECT launchpad_id, ${SITE_MEASURES.join(', ')} FROM launch_aggregates_by_site`)
    : { rows: [] };
  const { rows: launchCount } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM launches');
  if (overall.length === 0 && years.length === 0 && sites.length === 0 && launchCount[0].n === 0) return problems; // nothing loaded yet

  // From scratch, in SQL.
  const { overall: total, byYear: recomputedYears, bySite: recomputedSites } = await recomputeAggregates(pool);
  problems.push(...compareMeasures('launch_aggregates vs recompute', overall[0], total, true));
  if (sitesKept) problems.push(...compareSites('recompute', sites, new Map(recomputedSites.map((r) => [String(r.launchpad_id), r])), true));
  const y1 = years.map((y) => y.year);
  const y2 = recomputedYears.map((y) => y.year);
  if (!isDeepStrictEqual(y1, y2)) problems.push(`launch_aggregates_by_year: years ${short(y1)} but recompute has ${short(y2)}`);
  else
    for (const [n, y] of years.entries()) problems.push(...compareMeasures(`by_year[${y.year}] vs recompute`, y, recomputedYears[n], true));

  // Independently, in JS, from the stored documents: every raw launch version is an observation
  // (the slip baseline), the current versions are the state.
  const { rows: rawLaunches } = await pool.query<{ document: LaunchDoc }>('SELECT document FROM raw_launches');
  const { rows: current } = await pool.query<{ document: LaunchDoc }>(
    'SELECT r.document FROM launches l JOIN raw_launches r ON r.version_id = l.version_id',
  );
  const { rows: payloads } = await pool.query<{ document: PayloadDoc }>(
    'SELECT r.document FROM payloads p JOIN raw_payloads r ON r.version_id = p.version_id',
  );
  const expected = expectedAggregates(
    [rawLaunches.map((r) => r.document), current.map((r) => r.document)],
    payloads.map((r) => r.document),
  );
  problems.push(...compareMeasures('launch_aggregates vs JS', overall[0], expected.overall, false));
  const jsYears = [...expected.byYear.keys()].sort((a, b) => a - b);
  if (!isDeepStrictEqual(y1, jsYears))
    problems.push(`launch_aggregates_by_year: years ${short(y1)} but the JS computation has ${short(jsYears)}`);
  else for (const y of years) problems.push(...compareMeasures(`by_year[${y.year}] vs JS`, y, expected.byYear.get(y.year)!, false));
  if (sitesKept) problems.push(...compareSites('the JS computation', sites, expected.bySite, false));
  return problems;
}

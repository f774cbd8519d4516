/**
 * The store's invariants, checked after every reliability case. Each check returns the list of
 * violations (empty when it holds) so a failing case reports everything that broke at once.
 *
 *  1. No raw version stored twice: no two consecutive versions of an id share a content hash; and
 *     the versions of each id are exactly the contents the committed loads received (consecutive
 *     repeats collapsed), in order, or, where not every served content could reach a committed
 *     load, an ordered subsequence of what the source served. Without a history, no content of an
 *     id may be stored twice at all (the replay source never returns to an earlier content).
 *  2. No document lost: every source document is stored (its current raw version is the source's
 *     document, byte for byte after the documented NUL rule) or quarantined with a reason.
 *  3. Current state consistent with raw: each typed row points at the latest raw version of its id
 *     (version_id and content_hash), carries that document's values, and the link tables list
 *     exactly that document's payloads and cores.
 *  4. Aggregates (overall, by year and by launch site) equal the recomputation from scratch
 *     (sql/aggregate/recompute.sql) and the independent JS computation (test/helpers/expected.ts)
 *     over the stored documents.
 *  5. pipeline_runs tells the truth: nothing left 'running', failed runs carry an error, and each
 *     run's counts say exactly how many raw versions it appended per resource.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import { MEASURES, SITE_MEASURES } from '../../functions/core/pipeline/aggregate';
import { RESOURCE_NAMES, resource, type ResourceName } from '../../functions/core/resources';
import { storableJson } from '../../functions/core/store/text';
import recompute from '../../sql/aggregate/recompute.sql';
import { expectedAggregates, type LaunchDoc, type Measures, type PayloadDoc, type SiteMeasures } from './expected';

export { RESOURCE_NAMES };

/** Per resource and id, the content hashes committed loads received, oldest first. */
export type History = Map<ResourceName, Map<string, string[]>>;

export interface SourceTruth {
  /**
   * What the source serves (its final state), per resource. Each valid document must be the
   * current version of its id, each invalid one must be quarantined, and the current state must
   * hold no other id. Resources left out are not checked for completeness.
   */
  documents?: Partial<Record<ResourceName, unknown[]>>;
  /** Schema-invalid documents the source served to committed loads: each must be quarantined. */
  rejected?: Partial<Record<ResourceName, unknown[]>>;
  /** What committed loads received (from a recording source, or derived from the replay's ticks). */
  history?: History;
  /**
   * 'exact' (default): every served content reached a committed load, so the versions of each id
   * are the history with consecutive repeats collapsed. 'ordered': the versions are an ordered
   * subsequence of it (contents served while nothing committed, e.g. concurrent runs, may be missing).
   */
  historyMode?: 'exact' | 'ordered';
  /** The case left the aggregates behind the raw store on purpose (e.g. no event delivered yet). */
  aggregatesBehind?: boolean;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** The content hash the store must give a document: MD5 of its JSON text after the NUL rule. */
export const contentHashOf = (doc: unknown): string => md5(storableJson(JSON.stringify(doc)));

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The document as the store must hold it, computed independently of the store's code: text that
 * PostgreSQL cannot hold (NUL, an unpaired surrogate) becomes U+FFFD, in values and keys alike.
 */
export function storedForm(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(UNSTORABLE, '\uFFFD');
  if (Array.isArray(value)) return value.map(storedForm);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(UNSTORABLE, '\uFFFD'), storedForm(v)]));
  }
  return value;
}

export function isValid(name: ResourceName, doc: unknown): boolean {
  return resource(name).schema.safeParse(doc).success;
}

/** Consecutive repeats removed: the versions a sequence of served contents should produce. */
export function collapse(hashes: string[]): string[] {
  return hashes.filter((h, n) => n === 0 || hashes[n - 1] !== h);
}

function isOrderedSubsequence(part: string[], whole: string[]): boolean {
  let n = 0;
  for (const h of whole) if (n < part.length && part[n] === h) n++;
  return n === part.length;
}

const short = (list: unknown[], max = 5) =>
  list.length > max ? `${list.slice(0, max).join(', ')} ... (${list.length} in all)` : list.join(', ');

// -------------------------------------------------------------------------------------------------
// 1. raw versions

export async function checkRawVersions(pool: pg.Pool, truth: SourceTruth = {}): Promise<string[]> {
  const problems: string[] = [];
  for (const name of RESOURCE_NAMES) {
    const { rows } = await pool.query<{ id: string; hashes: string[] }>(
      `SELECT id, array_agg(content_hash ORDER BY version_id) AS hashes FROM raw_${name} GROUP BY id`,
    );
    const stored = new Map(rows.map((r) => [r.id, r.hashes]));
    const consecutive = rows.filter((r) => collapse(r.hashes).length !== r.hashes.length).map((r) => r.id);
    if (consecutive.length) problems.push(`raw_${name}: consecutive versions with the same content for ${short(consecutive)}`);

    const history = truth.history?.get(name);
    if (!history) {
      const repeated = rows.filter((r) => new Set(r.hashes).size !== r.hashes.length).map((r) => r.id);
      if (repeated.length) problems.push(`raw_${name}: a content stored twice (not consecutively) for ${short(repeated)}`);
      continue;
    }
    const invented = [...stored.keys()].filter((id) => !history.has(id));
    if (invented.length) problems.push(`raw_${name}: versions of ids no committed load received: ${short(invented)}`);
    const exact = (truth.historyMode ?? 'exact') === 'exact';
    const wrong: string[] = [];
    for (const [id, served] of history) {
      const versions = stored.get(id) ?? [];
      const expected = collapse(served);
      const ok = exact ? isDeepStrictEqual(versions, expected) : isOrderedSubsequence(versions, expected);
      if (!ok) wrong.push(`${id} (${versions.length} versions, ${exact ? 'expected' : 'served in order'} ${expected.length})`);
    }
    if (wrong.length) {
      problems.push(
        `raw_${name}: versions are not ${exact ? 'exactly the contents served' : 'an ordered subsequence of the contents served'}: ${short(wrong)}`,
      );
    }
  }
  return problems;
}

// -------------------------------------------------------------------------------------------------
// 2. no document lost

export async function checkNoDocumentLost(pool: pg.Pool, truth: SourceTruth): Promise<string[]> {
  const problems: string[] = [];
  const { rows: quarantined } = await pool.query<{ entity: string; body_hash: string; reason: string }>(
    'SELECT entity, body_hash, reason FROM quarantine',
  );
  const inQuarantine = new Map(quarantined.map((q) => [`${q.entity}/${q.body_hash}`, q.reason]));
  const expectQuarantined = (name: ResourceName, doc: unknown, what: string) => {
    const reason = inQuarantine.get(`${name}/${md5(storableJson(JSON.stringify(doc)))}`);
    const id = (doc as { id?: unknown })?.id;
    if (reason === undefined) problems.push(`${name}: ${what} ${JSON.stringify(id)?.slice(0, 60)} is neither stored nor quarantined`);
    else if (!reason.trim()) problems.push(`${name}: ${what} ${JSON.stringify(id)?.slice(0, 60)} quarantined without a reason`);
  };

  for (const [name, docs] of Object.entries(truth.documents ?? {}) as [ResourceName, unknown[]][]) {
    const { rows } = await pool.query<{ id: string; content_hash: string; document: string }>(
      `SELECT c.id, c.content_hash, r.document::text AS document FROM ${name} c JOIN raw_${name} r ON r.version_id = c.version_id`,
    );
    const current = new Map(rows.map((r) => [r.id, r]));
    // A response listing an id twice: the later occurrence is the source's document.
    const byId = new Map<unknown, unknown>();
    for (const doc of docs) byId.set((doc as { id?: unknown })?.id, doc);
    const missing: string[] = [];
    const different: string[] = [];
    for (const [id, doc] of byId) {
      if (!isValid(name, doc)) {
        expectQuarantined(name, doc, 'invalid document');
        continue;
      }
      const row = current.get(id as string);
      if (!row) missing.push(id as string);
      else if (row.content_hash !== contentHashOf(doc) || !isDeepStrictEqual(JSON.parse(row.document), storedForm(doc)))
        different.push(id as string);
    }
    if (missing.length) problems.push(`${name}: source documents not stored: ${short(missing)}`);
    if (different.length) problems.push(`${name}: current version differs from the source's document: ${short(different)}`);
    const extra = [...current.keys()].filter((id) => !byId.has(id));
    if (extra.length) problems.push(`${name}: current state holds ids the source does not serve: ${short(extra)}`);
  }
  for (const [name, docs] of Object.entries(truth.rejected ?? {}) as [ResourceName, unknown[]][]) {
    for (const doc of docs) expectQuarantined(name, doc, 'rejected document');
  }
  const { rows: bad } = await pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM quarantine WHERE btrim(reason) = '' OR body_hash <> md5(body) OR last_run_id < first_run_id OR times_seen < 1",
  );
  if (bad[0].n) problems.push(`quarantine: ${bad[0].n} rows without a reason or with a body not matching its hash`);
  return problems;
}

// -------------------------------------------------------------------------------------------------
// 3. current state consistent with raw

interface Core {
  core?: string | null;
  flight?: number | null;
  gridfins?: boolean | null;
  legs?: boolean | null;
  reused?: boolean | null;
  landing_attempt?: boolean | null;
  landing_success?: boolean | null;
  landing_type?: string | null;
  landpad?: string | null;
}

export async function checkCurrentState(pool: pg.Pool): Promise<string[]> {
  const problems: string[] = [];
  for (const name of RESOURCE_NAMES) {
    const { rows: stale } = await pool.query<{ id: string }>(`
      SELECT coalesce(c.id, r.id) AS id
      FROM ${name} c
      FULL JOIN (SELECT DISTINCT ON (id) id, version_id, content_hash, document FROM raw_${name} ORDER BY id, version_id DESC) r ON r.id = c.id
      WHERE c.id IS NULL OR r.id IS NULL
         OR c.version_id <> r.version_id OR c.content_hash <> r.content_hash
         OR c.name IS DISTINCT FROM r.document->>'name'`);
    if (stale.length) problems.push(`${name}: typed rows not matching the latest raw version: ${short(stale.map((r) => r.id))}`);
  }
  const { rows: launches } = await pool.query<{ id: string; ok: boolean }>(`
    SELECT l.id,
           l.upcoming = (r.document->>'upcoming')::boolean
           AND l.date_utc = (r.document->>'date_utc')::timestamptz
           AND l.success IS NOT DISTINCT FROM (r.document->>'success')::boolean
           AND l.flight_number = (r.document->>'flight_number')::integer
           AND l.earliest_upcoming_date_utc IS NOT DISTINCT FROM (
             SELECT min((v.document->>'date_utc')::timestamptz) FROM raw_launches v
             WHERE v.id = l.id AND (v.document->>'upcoming')::boolean) AS ok
    FROM launches l JOIN raw_launches r ON r.version_id = l.version_id`);
  const wrong = launches.filter((l) => !l.ok).map((l) => l.id);
  if (wrong.length) problems.push(`launches: typed values (or the slip baseline) not matching the raw versions: ${short(wrong)}`);

  // Link tables, rebuilt in JS from the current documents.
  const { rows: docs } = await pool.query<{ id: string; document: { payloads: string[]; cores: Core[] } }>(
    'SELECT l.id, r.document FROM launches l JOIN raw_launches r ON r.version_id = l.version_id',
  );
  const expectedPayloads = docs.flatMap((d) => d.document.payloads.map((p, n) => `${d.id}|${n + 1}|${p}`)).sort();
  const expectedCores = docs
    .flatMap((d) =>
      d.document.cores.map((c, n) =>
        [d.id, n + 1, c.core, c.flight, c.gridfins, c.legs, c.reused, c.landing_attempt, c.landing_success, c.landing_type, c.landpad]
          .map((v) => v ?? null)
          .join('|'),
      ),
    )
    .sort();
  const { rows: lp } = await pool.query<{ k: string }>("SELECT concat_ws('|', launch_id, position, payload_id) AS k FROM launch_payloads");
  const { rows: lc } = await pool.query<{ k: string }>(`
    SELECT concat_ws('|', launch_id, position, coalesce(core_id, ''), coalesce(flight::text, ''), coalesce(gridfins::text, ''),
      coalesce(legs::text, ''), coalesce(reused::text, ''), coalesce(landing_attempt::text, ''), coalesce(landing_success::text, ''),
      coalesce(landing_type, ''), coalesce(landpad_id, '')) AS k FROM launch_cores`);
  if (!isDeepStrictEqual(lp.map((r) => r.k).sort(), expectedPayloads))
    problems.push("launch_payloads: rows do not list exactly the current documents' payloads");
  if (!isDeepStrictEqual(lc.map((r) => r.k).sort(), expectedCores))
    problems.push("launch_cores: rows do not list exactly the current documents' cores");
  return problems;
}

// -------------------------------------------------------------------------------------------------
// 4. aggregates

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

export async function aggregatesBehind(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ behind: boolean }>(`
    SELECT coalesce((SELECT max(version_id) FROM raw_launches), 0) > coalesce((SELECT last_version_id FROM aggregate_state WHERE entity = 'launches'), 0)
        OR coalesce((SELECT max(version_id) FROM raw_payloads), 0) > coalesce((SELECT last_version_id FROM aggregate_state WHERE entity = 'payloads'), 0) AS behind`);
  return rows[0].behind;
}

export async function checkAggregates(pool: pg.Pool, truth: SourceTruth = {}): Promise<string[]> {
  const behind = await aggregatesBehind(pool);
  if (behind) return truth.aggregatesBehind ? [] : ['aggregates: behind the raw store (raw versions not reflected)'];
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

// -------------------------------------------------------------------------------------------------
// 5. runs

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

// -------------------------------------------------------------------------------------------------

/** Every invariant; an empty list when all hold. */
export async function checkInvariants(pool: pg.Pool, truth: SourceTruth = {}): Promise<string[]> {
  return [
    ...(await checkRawVersions(pool, truth)),
    ...(await checkNoDocumentLost(pool, truth)),
    ...(await checkCurrentState(pool)),
    ...(await checkAggregates(pool, truth)),
    ...(await checkRuns(pool)),
  ];
}

export async function expectInvariants(pool: pg.Pool, truth: SourceTruth = {}): Promise<void> {
  expect(await checkInvariants(pool, truth)).toEqual([]);
}

/** Invariant 3: the current state (typed rows, link tables) is consistent with the raw versions. */
import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import { RESOURCE_NAMES, short } from './truth';

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
      FULL JOIN (SELECT DISTINCT ON (id) id, version_id, content_hash, document FROM raw_${name} ORDER BY id, version_id DESC) r
        ON r.id = c.id
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

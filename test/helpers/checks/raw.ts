/** Invariants 1 (no raw version stored twice) and 2 (no document lost). */
import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import { contentHashOf, storedForm } from './stored';
import { collapse, isOrderedSubsequence, isValid, RESOURCE_NAMES, short, type SourceTruth } from './truth';
import type { ResourceName } from '../../../functions/core/resources';

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
      const rule = exact ? 'exactly the contents served' : 'an ordered subsequence of the contents served';
      problems.push(`raw_${name}: versions are not ${rule}: ${short(wrong)}`);
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
    const reason = inQuarantine.get(`${name}/${contentHashOf(doc)}`);
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
    `SELECT count(*)::int AS n FROM quarantine
     WHERE btrim(reason) = '' OR body_hash <> md5(body) OR last_run_id < first_run_id OR times_seen < 1`,
  );
  if (bad[0].n) problems.push(`quarantine: ${bad[0].n} rows without a reason or with a body not matching its hash`);
  return problems;
}

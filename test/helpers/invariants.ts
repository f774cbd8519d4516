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
 *
 * Independent of product code: 1, 2 (content hashes and the NUL rule are computed here, in
 * checks/stored.ts), 3 (its SQL and the link tables rebuilt in JS are written here) and 5.
 * Not independent, on purpose: whether a document is valid (hence must be quarantined) is the
 * product's schema (functions/core/resources/), the contract itself; invariant 4 compares
 * with sql/aggregate/recompute.sql (the product's recomputation) and, independently, with the JS
 * computation of test/helpers/expected.ts.
 */
import type pg from 'pg';
import { checkAggregates } from './checks/aggregates';
import { checkCurrentState } from './checks/current';
import { checkNoDocumentLost, checkRawVersions } from './checks/raw';
import { checkRuns } from './checks/runs';
import type { SourceTruth } from './checks/truth';

export { checkAggregates, exactNumeric, recomputeAggregates, SITE_MEASURES, unreflectedVersions } from './checks/aggregates';
export { checkCurrentState } from './checks/current';
export { checkNoDocumentLost, checkRawVersions } from './checks/raw';
export { checkRuns, type RunRow, runs } from './checks/runs';
export { contentHashOf, storedForm, storedJson } from './checks/stored';
export { collapse, type History, isValid, RESOURCE_NAMES, type SourceTruth } from './checks/truth';

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

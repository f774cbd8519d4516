/** What the invariants are checked against, and helpers the checks share. */
import { RESOURCE_NAMES, resource, type ResourceName } from '../../../functions/core/resources';

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

/**
 * Whether a document is valid is the product's own schema (functions/core/resources/):
 * which documents belong in quarantine is the product's contract, so it is not restated here.
 */
export function isValid(name: ResourceName, doc: unknown): boolean {
  return resource(name).schema.safeParse(doc).success;
}

/** Consecutive repeats removed: the versions a sequence of served contents should produce. */
export function collapse(hashes: string[]): string[] {
  return hashes.filter((h, n) => n === 0 || hashes[n - 1] !== h);
}

export function isOrderedSubsequence(part: string[], whole: string[]): boolean {
  let n = 0;
  for (const h of whole) if (n < part.length && part[n] === h) n++;
  return n === part.length;
}

export const short = (list: unknown[], max = 5) =>
  list.length > max ? `${list.slice(0, max).join(', ')} ... (${list.length} in all)` : list.join(', ');

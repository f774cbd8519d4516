/**
 * What the source could have served over the whole soak, for the invariants. The simulated API
 * is deterministic from its seed and tick, so the history is rebuilt tick by tick (the fault
 * suite's replayHistory), with the contents a hostile-document fault produced at those ticks.
 * Runs in other processes are not recorded: the raw versions must be an in-order subsequence of
 * this history ('ordered' mode), across every step of the soak.
 */
import type pg from 'pg';
import { corruptDocuments } from '../../infra/local/spacex-api/faults';
import type { ReplayServer } from '../../infra/local/spacex-api/server';
import type { ResourceName } from '../../functions/core/resources';
import { contentHashOf, isValid, RESOURCE_NAMES, type History } from '../helpers/invariants';
import { replayHistory } from '../helpers/reliability';

type Dataset = ReplayServer['dataset'];

/** Every document the source serves at a tick, per resource. */
export function sourceDocuments(dataset: Dataset, tick = dataset.tick): Record<ResourceName, unknown[]> {
  return {
    rockets: dataset.rockets(),
    launchpads: dataset.launchpads(tick),
    landpads: dataset.landpads(tick),
    payloads: Array.from({ length: dataset.payloadCountAt(tick) }, (_, k) => dataset.payload(k, tick)),
    launches: [...dataset.launches(tick)],
  };
}

export class SoakHistory {
  readonly history: History = new Map(RESOURCE_NAMES.map((name) => [name, new Map<string, string[]>()]));
  private lastTick = -1;

  constructor(private readonly dataset: Dataset) {}

  /**
   * Ticks from..to were served during a step; `hostile` counts, per resource, the responses a
   * hostile-document rule could alter. Such a response can land before or after a clean one of
   * the same tick, so each use adds the hostile content followed by the clean one again.
   */
  add(from: number, to: number, hostile: ReadonlyMap<ResourceName, number>): void {
    for (let tick = from; tick <= to; tick++) {
      if (tick > this.lastTick) this.merge(replayHistory(this.dataset, tick, tick));
      this.lastTick = Math.max(this.lastTick, tick);
      if (hostile.size === 0) continue;
      const docs = sourceDocuments(this.dataset, tick);
      for (const [name, uses] of hostile) {
        const clean = docs[name];
        const altered = corruptDocuments({ count: clean.length, doc: (k) => clean[k] as Record<string, unknown> }, { hostile: true }, true);
        for (let use = 0; use < uses; use++) {
          for (const [k, doc] of clean.entries()) {
            const id = (doc as { id: string }).id;
            this.append(name, id, contentHashOf(altered.doc(k)));
            this.append(name, id, contentHashOf(doc));
          }
        }
      }
    }
  }

  private merge(part: History): void {
    for (const [name, ids] of part) for (const [id, hashes] of ids) for (const hash of hashes) this.append(name, id, hash);
  }

  /** Consecutive repeats are dropped as they come: the invariants collapse them anyway. */
  private append(name: ResourceName, id: string, hash: string): void {
    const ids = this.history.get(name)!;
    const hashes = ids.get(id);
    if (!hashes) ids.set(id, [hash]);
    else if (hashes[hashes.length - 1] !== hash) hashes.push(hash);
  }
}

/**
 * Documents doubled: raw versions whose content equals the version before them of the same id,
 * i.e. an append that changed nothing (a replayed or concurrent load writing a document twice).
 */
export async function doubledVersions(pool: pg.Pool): Promise<number> {
  let doubled = 0;
  for (const name of RESOURCE_NAMES) {
    const { rows } = await pool.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM (
        SELECT content_hash = lag(content_hash) OVER (PARTITION BY id ORDER BY version_id) AS same FROM raw_${name}) v
      WHERE same`);
    doubled += rows[0].n;
  }
  return doubled;
}

/**
 * Documents lost: valid documents the source serves whose current stored version is not that
 * document (absent, or another content), counted after a fault-free backfill.
 */
export async function lostDocuments(pool: pg.Pool, documents: Record<ResourceName, unknown[]>): Promise<number> {
  let lost = 0;
  for (const name of RESOURCE_NAMES) {
    const { rows } = await pool.query<{ id: string; content_hash: string }>(`SELECT id, content_hash FROM ${name}`);
    const current = new Map(rows.map((r) => [r.id, r.content_hash]));
    for (const doc of documents[name]) {
      if (isValid(name, doc) && current.get((doc as { id: string }).id) !== contentHashOf(doc)) lost++;
    }
  }
  return lost;
}

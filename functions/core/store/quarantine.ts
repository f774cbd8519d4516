import { createHash } from 'node:crypto';
import type pg from 'pg';
import { storableText } from './text';

/** A document that failed validation: the id it claims, why it failed, its storable JSON text. */
export interface QuarantineEntry {
  documentId: string | null;
  reason: string;
  body: string;
}

export const contentHash = (json: string) => createHash('md5').update(json).digest('hex');

/** One row per distinct body: seeing the same bad document again only bumps its counters. */
export async function recordQuarantine(client: pg.PoolClient, entity: string, runId: number, entries: QuarantineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const distinct = [...new Map(entries.map((e) => [contentHash(e.body), e])).entries()];
  await client.query(
    `INSERT INTO quarantine AS q (entity, document_id, body_hash, reason, body, first_run_id, last_run_id)
     SELECT $1, e.document_id, e.body_hash, e.reason, e.body, $2, $2
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS e(document_id, body_hash, reason, body)
     ON CONFLICT (entity, body_hash) DO UPDATE SET
       last_run_id = EXCLUDED.last_run_id, last_seen_at = now(), times_seen = q.times_seen + 1`,
    [
      entity,
      runId,
      distinct.map(([, e]) => e.documentId),
      distinct.map(([hash]) => hash),
      distinct.map(([, e]) => e.reason),
      distinct.map(([, e]) => e.body),
    ],
  );
}

/** The id a quarantined document claims, as text PostgreSQL can hold (the store's text rule). */
export function documentIdOf(document: unknown): string | null {
  const id = (document as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? storableText(id.slice(0, 200)) : null;
}

import type pg from 'pg';

/** How far the aggregates reach (last reflected raw version) and how far the raw store does. */
export interface Watermarks {
  launches: number;
  payloads: number;
  launchesNow: number;
  payloadsNow: number;
}

export async function watermarks(client: pg.PoolClient): Promise<Watermarks> {
  const { rows } = await client.query<Watermarks>(`
    SELECT coalesce((SELECT last_version_id FROM aggregate_state WHERE entity = 'launches'), 0) AS "launches",
           coalesce((SELECT last_version_id FROM aggregate_state WHERE entity = 'payloads'), 0) AS "payloads",
           coalesce((SELECT max(version_id) FROM raw_launches), 0) AS "launchesNow",
           coalesce((SELECT max(version_id) FROM raw_payloads), 0) AS "payloadsNow"`);
  return rows[0];
}

/** True when raw versions exist that the aggregates do not reflect yet. */
export async function aggregatesBehind(client: pg.PoolClient): Promise<boolean> {
  const mark = await watermarks(client);
  return mark.launchesNow > mark.launches || mark.payloadsNow > mark.payloads;
}

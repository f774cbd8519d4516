import type pg from 'pg';
import lag from '../../../sql/aggregate/lag.sql';

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

/** Seconds the aggregates are behind the raw store (see sql/aggregate/lag.sql); 0 when current. */
export async function aggregateLagSeconds(client: pg.PoolClient): Promise<number> {
  const mark = await watermarks(client);
  const { rows } = await client.query<{ seconds: number }>(lag, [mark.launches, mark.payloads]);
  return Math.max(0, Math.round(rows[0].seconds));
}

import type pg from 'pg';
import { BULK_ROWS, type Database, withPipelineLock } from '../store/db';
import type { RunSummary } from '../store/runs';
import type { Announce } from './context';
import touched from '../../../sql/aggregate/touched.sql';
import refresh from '../../../sql/aggregate/refresh.sql';
import { watermarks } from './watermarks';
import { recordedRun } from './run';

/** The measures of launch_aggregates and of each launch_aggregates_by_year row (sql/aggregate/refresh.sql keeps them). */
export const MEASURES = [
  'total_launches',
  'successful_launches',
  'failed_launches',
  'success_rate',
  'avg_payload_mass_kg',
  'avg_launch_payload_mass_kg',
  'avg_delay_hours',
  'max_delay_hours',
  'delay_sample_size',
  'avg_static_fire_lead_hours',
] as const;

/** The columns of launch_aggregates_by_site behind question 4 (exact sums and counts). */
export const SITE_MEASURES = ['total_launches', 'payload_mass_kg_sum', 'launches_with_payload_mass'] as const;

/**
 * Brings the aggregation tables up to date with every raw version not yet reflected,
 * whatever event triggered it: a repeated, late or out-of-order event finds nothing new
 * and changes nothing. `full` rebuilds everything from the current state.
 */
export async function aggregate(db: Database, trigger = 'manual', options: { full?: boolean } = {}): Promise<RunSummary> {
  return recordedRun(db, 'aggregate', trigger, async (client) => {
    const { result: touchedLaunches, lockMs } = await withPipelineLock(client, db, async () => {
      if (options.full)
        await client.query(`DELETE FROM launch_facts; DELETE FROM launch_aggregates_by_year;
          DELETE FROM launch_aggregates_by_site; DELETE FROM aggregate_state`);
      return refreshTouched(client);
    });
    return { counts: { touchedLaunches, full: Boolean(options.full), lockMs }, changedLaunchIds: [] };
  });
}

async function refreshTouched(client: pg.PoolClient): Promise<number> {
  const mark = await watermarks(client);
  await client.query('DROP TABLE IF EXISTS touched; CREATE TEMP TABLE touched (launch_id text PRIMARY KEY) ON COMMIT DROP');
  const { rowCount } = await client.query(touched, [mark.launches, mark.payloads]);
  const { rows: existing } = await client.query('SELECT 1 FROM launch_aggregates');
  if (rowCount === 0 && existing.length > 0) return 0;
  // Without statistics the planner takes the fresh table for thousands of rows and scans
  // every link and payload; with them, a few touched launches cost a few index lookups.
  await client.query('ANALYZE touched; DROP TABLE IF EXISTS new_facts, year_delta, site_delta');
  await client.query(refresh);
  if ((rowCount ?? 0) >= BULK_ROWS) await client.query('ANALYZE launch_facts, launch_aggregates_by_year, launch_aggregates_by_site');
  await client.query(
    `INSERT INTO aggregate_state (entity, last_version_id) VALUES ('launches', $1), ('payloads', $2)
     ON CONFLICT (entity) DO UPDATE SET last_version_id = EXCLUDED.last_version_id`,
    [mark.launchesNow, mark.payloadsNow],
  );
  return rowCount ?? 0;
}

/** The command line's announcement: refresh the aggregates at once, in this process. */
export function refreshAggregates(trigger: string): Announce {
  return async (_summary, pipeline) => void (await aggregate(pipeline, trigger));
}

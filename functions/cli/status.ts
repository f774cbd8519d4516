import type pg from 'pg';
import { MEASURES } from '../core/pipeline/aggregate';
import { CURRENT_TABLES, LINK_TABLES, RAW_TABLES } from '../core/resources';
import { formatTable } from './table';

const TABLES = [...RAW_TABLES, ...CURRENT_TABLES, ...LINK_TABLES, 'quarantine'];

/** Recent runs, row counts and quarantined documents, as text for a terminal. */
export async function statusReport(pool: pg.Pool): Promise<string> {
  const runs = await pool.query(`
    SELECT run_id, step, trigger, status, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS') AS started,
           round(extract(epoch FROM finished_at - started_at)::numeric, 2)::float8 AS seconds,
           (SELECT string_agg(key || '=' || value, ' ') FROM jsonb_each_text(counts - 'backend_pid' - 'ms')
             WHERE value !~ '^\\{') AS counts,
           cardinality(changed_launch_ids) AS changed, left(error, 120) AS error
    FROM pipeline_runs ORDER BY run_id DESC LIMIT 10`);
  const counts = await pool.query(TABLES.map((t) => `SELECT '${t}' AS "table", count(*)::integer AS "rows" FROM ${t}`).join(' UNION ALL '));
  const quarantine = await pool.query(`
    SELECT entity, document_id, left(reason, 100) AS reason, times_seen,
           to_char(last_seen_at, 'YYYY-MM-DD HH24:MI:SS') AS last_seen
    FROM quarantine ORDER BY last_seen_at DESC, quarantine_id DESC LIMIT 20`);
  return [
    'Recent runs',
    formatTable(runs.rows),
    '',
    'Row counts',
    formatTable(counts.rows),
    '',
    'Quarantined documents (failed validation; kept with the reason and the raw body)',
    formatTable(quarantine.rows, ['entity', 'document_id', 'reason', 'times_seen', 'last_seen']),
  ].join('\n');
}

export async function aggregateReport(pool: pg.Pool): Promise<string> {
  const overall = await pool.query(`SELECT ${MEASURES.join(', ')} FROM launch_aggregates`);
  const byYear = await pool.query(`SELECT year, ${MEASURES.join(', ')} FROM launch_aggregates_by_year ORDER BY year`);
  // One row of ten measures reads better standing up.
  const measures = Object.entries(overall.rows[0] ?? {}).map(([measure, value]) => ({ measure, value }));
  return ['launch_aggregates', formatTable(measures, ['measure', 'value']), '', 'launch_aggregates_by_year', formatTable(byYear.rows)].join(
    '\n',
  );
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * `npm run bench -- --quick` as CI runs it: small sizes on the suite's PostgreSQL, no Trino.
 * Only checks that every measure is produced; timings are not asserted (shared machines).
 */
describe('benchmark, quick mode', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'bench-quick-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('produces every measure, all positive', () => {
    const run = spawnSync(process.execPath, ['test/bench/run.mjs', '--quick', '--no-build', '--out', out], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 290_000,
    });
    if (run.status !== 0) throw new Error(`bench --quick failed (${run.status}):\n${run.stderr.slice(-3000)}`);
    const result = JSON.parse(readFileSync(path.join(out, 'latest.json'), 'utf8'));
    const positive = (x: unknown) => expect(typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : `not positive: ${x}`).toBe(x);

    expect(result.partial).toBe(false);
    expect(result.results.length).toBeGreaterThanOrEqual(2);
    for (const r of result.results) {
      for (const x of [r.launches, r.payloads, r.documents, r.backfill.seconds, r.backfill.docsPerSecond, r.backfill.peakRssMb])
        positive(x);
      for (const x of [r.floor.seconds, r.floor.docsPerSecond, r.pandas.seconds, r.pandas.docsPerSecond]) positive(x);
      for (const x of [r.incremental.medianMs, r.incremental.ingestMedianMs, r.incremental.aggregateMedianMs]) positive(x);
      for (const x of [r.fullRecompute.recomputeSqlMs, r.fullRecompute.aggregateFullMs]) positive(x);
      expect(r.incremental.samples).toBeGreaterThan(0);
    }
    // Trino is skipped in quick mode (unless --trino is passed): it says so.
    expect(result.trino.queries ?? result.trino.skipped).toBeTruthy();
    if (result.trino.queries) for (const q of result.trino.queries) [q.trinoMsMedian, q.postgresMsMedian].forEach(positive);
    expect(result.lambda.map((l: { function: string }) => l.function).sort()).toEqual(['aggregate', 'backfill', 'ingest']);
    for (const l of result.lambda) [l.bundleBytes, l.loadMsMedian].forEach(positive);
    expect(readFileSync(path.join(out, 'latest.md'), 'utf8')).toContain('Backfill throughput');
  }, 300_000);
});

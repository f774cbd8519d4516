/**
 * `npm run soak -- --quick` with a fixed seed, as part of npm test: a few dozen random steps of
 * processes and faults, every invariant checked after each. Fails on any violation. A second
 * run sabotages the store on purpose and must stop at that step with the seed and the schedule.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureCliBuilt, ROOT } from '../helpers/reliability';

const SEED = 20261201;

function soak(args: string[], out: string) {
  return spawnSync(process.execPath, ['test/soak/run.mjs', '--no-build', '--out', out, ...args], {
    cwd: ROOT,
    env: { ...process.env },
    encoding: 'utf8',
    timeout: 240_000,
  });
}

describe('soak, quick mode', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'soak-quick-'));
  beforeAll(() => ensureCliBuilt());
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it(`a seeded schedule (seed ${SEED}) of processes and faults keeps every invariant`, () => {
    const run = soak(['--quick', '--seed', String(SEED)], out);
    if (run.status !== 0) throw new Error(`soak --quick failed (${run.status}):\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-6000)}`);
    const figures = JSON.parse(readFileSync(path.join(out, `figures-${SEED}.json`), 'utf8'));
    expect(figures.violations).toBe(0);
    expect(figures.steps).toBe(36);
    expect(figures.invariantChecks).toBe(figures.steps + 1); // after each step, and after the initial load
    expect(figures.documentsLost).toBe(0);
    expect(figures.documentsDoubled).toBe(0);
    // The schedule really injected faults of several kinds (not a quiet run that cannot fail).
    const injected = Object.values(figures.injected as Record<string, number>);
    expect(injected.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10);
    expect(injected.length).toBeGreaterThanOrEqual(5);
  }, 250_000);

  it('a violation stops the soak at its step, with the seed and the schedule so far, exit 1', () => {
    const run = soak(['--quick', '--seed', String(SEED), '--steps', '4', '--sabotage-at', '2'], out);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`SOAK VIOLATION: seed ${SEED}, step 2`);
    expect(run.stderr).toMatch(/violated: raw_rockets: consecutive versions with the same content/);
    expect(run.stderr).toMatch(/schedule so far[^\n]*\n {2}#1 [^\n]*\n {2}#2 /);
    const figures = JSON.parse(readFileSync(path.join(out, `figures-${SEED}.json`), 'utf8'));
    expect(figures.documentsDoubled).toBe(1);
    rmSync(figures.violation.dataDir, { recursive: true, force: true });
  }, 120_000);
});

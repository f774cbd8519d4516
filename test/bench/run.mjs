// `npm run bench [-- --quick]`: builds the CLI (the backfill runs as `node dist/cli.js`) and
// test/bench/bench.ts, then runs the benchmark. Options: --quick (CI smoke run: small sizes,
// no Trino unless --trino), --sizes 1000,10000, --pandas-max N, --trino-port N, --no-trino,
// --no-floor, --out DIR, --keep, --no-build. Results: test/bench/results/latest.{json,md} (full run) or
// $TMPDIR/spacex-bench-quick (quick run).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundle } from '../../infra/esbuild-node.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
// --no-build: dist/cli.js is already built (the jest suite builds it before running).
if (!args.includes('--no-build')) {
  const built = spawnSync(process.execPath, ['infra/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const outfile = path.join(root, 'node_modules/.cache/spacex-bench/bench.js');
await build({ ...nodeBundle, entryPoints: [path.join(root, 'test/bench/bench.ts')], outfile });
const run = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...args.filter((a) => a !== '--no-build')], {
  cwd: root,
  stdio: 'inherit',
  env: { LOG_LEVEL: 'warn', ...process.env },
});
process.exit(run.status ?? 1);

// `npm run soak [-- --quick] [--seed N] [--steps N]`: builds the CLI (steps run as `node dist/cli.js`)
// and bundles the soak and the aggregate handler's runner, then runs the soak. --no-build: the CLI
// is already built (the jest suite builds it first).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundle } from '../../infra/esbuild-node.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
if (!args.includes('--no-build')) {
  const built = spawnSync('flock', ['/tmp/spacex-pipeline-build.lock', process.execPath, 'infra/build.mjs'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const outdir = path.join(root, 'node_modules/.cache/spacex-soak');
await build({
  ...nodeBundle,
  entryPoints: { soak: path.join(root, 'test/soak/main.ts'), 'aggregate-event': path.join(root, 'test/soak/aggregate-event.ts') },
  outdir,
});
const run = spawnSync(process.execPath, ['--enable-source-maps', path.join(outdir, 'soak.js'), ...args.filter((a) => a !== '--no-build')], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);

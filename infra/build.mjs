// Builds the command-line tool. The Lambda bundles are built by serverless-esbuild with
// the same loader settings (see serverless.yml).
//
// Two files: dist/cli.js, and dist/local.js with the local tooling (infra/local: the embedded
// PostgreSQL, Trino, MiniStack, deploy, the simulated API). The CLI imports the latter only in
// the commands that use it, so backfill, ingest, aggregate, status and query never load the
// process managers (test/unit/cli-bundle.test.ts checks it on the built files).
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { build as esbuild } from 'esbuild';
import { nodeBundle } from './esbuild-node.mjs';

/**
 * Each file is written beside its place and renamed over it: tests (and the README test's
 * `npm start`) rebuild while other processes start dist/cli.js, which must never read half a file.
 */
async function build(options) {
  const { outputFiles } = await esbuild({ ...options, write: false });
  for (const file of outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    const partial = `${file.path}.${process.pid}.tmp`;
    writeFileSync(partial, file.contents);
    if (file.path.endsWith('cli.js')) chmodSync(partial, 0o755);
    renameSync(partial, file.path);
  }
}

const LOCAL_TOOLING = ['postgres', 'process', 'trino', 'ministack', 'deploy', 'spacex-api/server'];

/** Every import of infra/local from the CLI's code becomes a require of ./local.js. */
const localToolingApart = {
  name: 'local-tooling-apart',
  setup(build) {
    build.onResolve({ filter: /(^|\/)infra\/local\// }, () => ({ path: './local.js', external: true }));
  },
};

await build({
  ...nodeBundle,
  stdin: {
    contents: LOCAL_TOOLING.map((name) => `export * from './infra/local/${name}';`).join('\n'),
    resolveDir: '.',
    sourcefile: 'infra/local/index.ts',
    loader: 'ts',
  },
  outfile: 'dist/local.js',
});

await build({
  ...nodeBundle,
  entryPoints: { cli: 'functions/cli.ts' },
  outdir: 'dist',
  banner: { js: '#!/usr/bin/env node' },
  plugins: [localToolingApart],
});

// Builds the command-line tool. The Lambda bundles are built by serverless-esbuild with
// the same loader settings (see serverless.yml).
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'functions/cli.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // Dependencies stay in node_modules: the CLI runs from an installed package.
  packages: 'external',
  loader: { '.sql': 'text' },
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});

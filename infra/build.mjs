// Builds the command-line tool. The Lambda bundles are built by serverless-esbuild with
// the same loader settings (see serverless.yml).
import { build } from 'esbuild';
import { nodeBundle } from './esbuild-node.mjs';

await build({
  ...nodeBundle,
  entryPoints: { cli: 'functions/cli.ts' },
  outdir: 'dist',
  banner: { js: '#!/usr/bin/env node' },
});

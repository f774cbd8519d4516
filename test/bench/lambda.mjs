// Lambda bundles: size and cold module-load time of each function, built with the same
// esbuild settings serverless.yml gives serverless-esbuild, and loaded the way the functions run.
//   node test/bench/lambda.mjs [--runs 15] [--json]
//
// The deployed runtime is nodejs22.x with serverless.yml's NODE_OPTIONS; this machine may run
// another Node. So each bundle is loaded, in a fresh process per sample, under:
//   - Node 22 (the deployed runtime): the official binary, published as the npm package
//     node-<platform>-<arch>, fetched once into ~/.cache/spacex-pipeline/node22/ (npm pack);
//     if it cannot be had, the current Node stands in and the output says so;
//   - the current Node, when it is not Node 22 (what `invoke local` and MiniStack's workers run);
// each with the NODE_OPTIONS serverless.yml gives the functions (none now), without any and with
// --enable-source-maps, samples interleaved (one of each per round) so load on the machine hits
// every variant alike. The headline numbers (loadMsMedian, loadMsMax) are the deployed
// combination: Node 22 + the deployed NODE_OPTIONS. --json prints one entry per function (function, bundleBytes,
// loadMsMedian, loadMsMax, runtime, nodeOptions, ...) with every variant under `variants`.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FUNCTIONS = ['backfill', 'ingest', 'aggregate'];
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 15;
const json = process.argv.includes('--json');
const note = (message) => process.stderr.write(`[lambda bench] ${message}\n`);

// serverless.yml custom.esbuild, restated (serverless-esbuild passes these to esbuild as they
// are; its `exclude` becomes `external`). Keep the two identical.
const ESBUILD = {
  bundle: true,
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  keepNames: true,
  target: 'node20',
  platform: 'node',
  format: 'cjs',
  mainFields: ['module', 'main'],
  loader: { '.sql': 'text' },
  external: ['pg-native', '@aws-sdk/*'],
};

// provider.environment.NODE_OPTIONS, read from serverless.yml itself (one plain string; none: '').
const deployedNodeOptions = (
  readFileSync(path.join(ROOT, 'serverless.yml'), 'utf8').match(/^ {4}NODE_OPTIONS: *(.*?) *$/m)?.[1] ?? ''
).replace(/^(['"])(.*)\1$/, '$2');

/**
 * The Node 22 binary: infra/local/node22.ts (cached, or fetched from the npm registry), the same
 * one the Lambda tests run on; bundled here on the fly, as this script is plain JavaScript.
 */
async function node22() {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'node22-')), 'node22.cjs');
  try {
    await build({
      entryPoints: [path.join(ROOT, 'infra/local/node22.ts')],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'warning',
    });
    const { node22: find, NODE22_VERSION } = createRequire(import.meta.url)(out);
    return { bin: find(note), version: NODE22_VERSION };
  } catch (error) {
    return { unavailable: error.message };
  } finally {
    rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

const n22 = await node22();
let runtimeNote;
const runtimes = [];
if (n22.bin) runtimes.push({ bin: n22.bin, version: `v${n22.version}`, deployed: true });
if (!n22.bin || process.version.split('.')[0] !== 'v22') {
  runtimes.push({ bin: process.execPath, version: process.version, deployed: !n22.bin });
  if (!n22.bin) {
    runtimeNote = `${n22.unavailable}: measured on the current Node ${process.version} instead of the deployed nodejs22.x`;
    note(`NOTE: ${runtimeNote}`);
  }
}
const optionSets = [...new Set([deployedNodeOptions, '', '--enable-source-maps'])];
const variants = runtimes.flatMap((rt) =>
  optionSets.map((nodeOptions) => ({ ...rt, nodeOptions, deployed: rt.deployed && nodeOptions === deployedNodeOptions })),
);

const out = mkdtempSync(path.join(tmpdir(), 'lambda-bundles-'));
const bundles = [];
for (const fn of FUNCTIONS) {
  const file = path.join(out, `${fn}.js`);
  await build({ ...ESBUILD, entryPoints: [path.join(ROOT, `functions/${fn}.ts`)], outfile: file, logLevel: 'warning' });
  bundles.push({
    fn,
    file,
    bundleBytes: statSync(file).size,
    sourceMapBytes: existsSync(`${file}.map`) ? statSync(`${file}.map`).size : 0,
    samples: variants.map(() => []),
  });
}

// A fresh process per sample: what a cold start pays to load the module, before the handler runs.
// Rounds interleave every function and variant, starting each round at a different variant.
const load = (bin, file, nodeOptions) =>
  Number(
    execFileSync(
      bin,
      ['-e', `const t=process.hrtime.bigint();require(${JSON.stringify(file)});console.log(Number(process.hrtime.bigint()-t)/1e6)`],
      {
        env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent', NODE_OPTIONS: nodeOptions },
      },
    ).toString(),
  );
for (let round = 0; round < runs; round++) {
  for (const b of bundles) {
    for (let k = 0; k < variants.length; k++) {
      const v = (k + round) % variants.length;
      b.samples[v].push(load(variants[v].bin, b.file, variants[v].nodeOptions));
    }
  }
}
rmSync(out, { recursive: true, force: true });

const r1 = (x) => Math.round(x * 10) / 10;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const deployedIndex = variants.findIndex((v) => v.deployed);
const results = bundles.map((b) => ({
  function: b.fn,
  bundleBytes: b.bundleBytes,
  sourceMapBytes: b.sourceMapBytes,
  // The deployed combination (or its stand-in, see runtimeNote).
  loadMsMedian: r1(median(b.samples[deployedIndex])),
  loadMsMax: r1(Math.max(...b.samples[deployedIndex])),
  runtime: variants[deployedIndex].version,
  nodeOptions: deployedNodeOptions,
  ...(runtimeNote ? { runtimeNote } : {}),
  runs,
  variants: variants.map((v, i) => ({
    runtime: v.version,
    nodeOptions: v.nodeOptions,
    deployed: v.deployed,
    loadMsMedian: r1(median(b.samples[i])),
    loadMsMax: r1(Math.max(...b.samples[i])),
  })),
}));

if (json) console.log(JSON.stringify(results));
else {
  console.log(
    `${runs} cold loads per cell, interleaved; ` +
      `deployed: Node ${variants[deployedIndex].version}, NODE_OPTIONS=${deployedNodeOptions || '(none)'}`,
  );
  if (runtimeNote) console.log(`NOTE: ${runtimeNote}`);
  const label = (v) => `${v.version} ${v.nodeOptions || 'no options'}${v.deployed ? ' *' : ''}`;
  const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;
  const widths = variants.map((v) => Math.max(label(v).length, 10));
  console.log(`function  | bundle  | map     | ${variants.map((v, i) => label(v).padStart(widths[i])).join(' | ')}`);
  for (const r of results) {
    const cells = r.variants.map((v, i) => `${v.loadMsMedian.toFixed(1)} ms`.padStart(widths[i]));
    console.log([r.function.padEnd(9), kb(r.bundleBytes).padStart(7), kb(r.sourceMapBytes).padStart(7), ...cells].join(' | '));
  }
  console.log('module load medians; * = as deployed');
}

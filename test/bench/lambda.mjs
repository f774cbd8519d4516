// Lambda bundles: size and cold module-load time of each function, built with the same
// esbuild settings serverless.yml gives serverless-esbuild.
//   node test/bench/lambda.mjs [--runs 15] [--json]
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const FUNCTIONS = ['backfill', 'ingest', 'aggregate'];
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 15;
const out = mkdtempSync(path.join(tmpdir(), 'lambda-bundles-'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
for (const fn of FUNCTIONS) {
  const file = path.join(out, `${fn}.js`);
  await build({
    entryPoints: [`functions/${fn}.ts`],
    outfile: file,
    bundle: true,
    minify: true,
    sourcemap: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    loader: { '.sql': 'text' },
    external: ['pg-native', '@aws-sdk/client-ssm'],
    logLevel: 'warning',
  });
  // A fresh process per sample: what a cold start pays to load the module, before the handler runs.
  const samples = Array.from({ length: runs }, () =>
    Number(
      execFileSync(process.execPath, ['-e', `const t=process.hrtime.bigint();require(${JSON.stringify(file)});console.log(Number(process.hrtime.bigint()-t)/1e6)`], {
        env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent' },
      }).toString(),
    ),
  );
  results.push({ function: fn, bundleBytes: statSync(file).size, loadMsMedian: Math.round(median(samples) * 10) / 10, loadMsMax: Math.round(Math.max(...samples) * 10) / 10 });
}
rmSync(out, { recursive: true, force: true });

if (process.argv.includes('--json')) console.log(JSON.stringify(results));
else {
  console.log(`node ${process.version}, ${runs} cold loads each`);
  console.log('function  | bundle (minified) | module load median | max');
  for (const r of results) console.log(`${r.function.padEnd(9)} | ${(r.bundleBytes / 1024).toFixed(0).padStart(13)} KB | ${r.loadMsMedian.toFixed(1).padStart(15)} ms | ${r.loadMsMax.toFixed(1)} ms`);
}

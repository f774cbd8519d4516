// Values of the `local` stage that serverless.yml reads with ${file(infra/local/stage-local.js):...}.
// Plain CommonJS because osls loads it while resolving the configuration (no TypeScript there).
const { existsSync, mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

/**
 * The embedded PostgreSQL that `npm start` (the demo) creates and the CLI uses: <data>/postgres
 * (SPACEX_PIPELINE_DATA, default .data), port DEMO_PG_PORT (54320), database `spacex`. `npm start`
 * stops it when the demo ends, so it is started again here (infra/local/postgres.ts, the same code)
 * and left running for the next invocation; marked as started by the pipeline, so the next CLI
 * command that ends with no other user (e.g. `spacex-pipeline status`) stops it, as for a server a
 * CLI command started (functions/cli/local.ts). Empty when there is no such cluster yet (run
 * `npm start` once), or when the URL is read from SSM (DATABASE_URL_SSM_PARAMETER): the functions
 * then say what is missing.
 */
module.exports.databaseUrl = async () => {
  const dir = path.join(path.resolve(process.env.SPACEX_PIPELINE_DATA || path.join(ROOT, '.data')), 'postgres');
  if (process.env.DATABASE_URL_SSM_PARAMETER || !existsSync(path.join(dir, 'data', 'PG_VERSION'))) return '';
  const { startLocalPostgres } = loadTypeScript(path.join(__dirname, 'postgres.ts'));
  const server = await startLocalPostgres({ dir, port: Number(process.env.DEMO_PG_PORT || 54320) });
  if (server.startedHere) writeFileSync(path.join(dir, 'started-by-spacex-pipeline'), '');
  return server.url;
};

/** A TypeScript module of the project, bundled on the fly into .esbuild/ (its packages stay in node_modules). */
function loadTypeScript(file) {
  const outfile = path.join(ROOT, '.esbuild', 'stage-local', `${path.basename(file, '.ts')}.cjs`);
  mkdirSync(path.dirname(outfile), { recursive: true });
  require('esbuild').buildSync({ entryPoints: [file], outfile, bundle: true, platform: 'node', format: 'cjs', packages: 'external' });
  return require(outfile);
}

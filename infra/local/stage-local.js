// Values of the `local` stage that serverless.yml reads with ${file(infra/local/stage-local.js):...}.
// Plain CommonJS because osls loads it while resolving the configuration (no TypeScript there).
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

/**
 * The embedded PostgreSQL that `npm start` (the demo) and the CLI use: .data/postgres, port
 * DEMO_PG_PORT (54320), user `pipeline`, database `spacex`, with the random password that was
 * generated beside the cluster (infra/local/postgres.ts). Empty when there is none yet: the
 * functions then stop with "DATABASE_URL is required".
 */
module.exports.databaseUrl = () => {
  const secret = path.resolve(__dirname, '../../.data/postgres/password');
  if (!existsSync(secret)) return '';
  const password = encodeURIComponent(readFileSync(secret, 'utf8').trim());
  return `postgres://pipeline:${password}@127.0.0.1:${process.env.DEMO_PG_PORT || 54320}/spacex`;
};

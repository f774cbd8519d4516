import { ConfigError, databaseBounds, databaseUrl, parsePostgresUrl } from '../core/config';
import { createDatabase, type Database } from '../core/store/db';

type Env = Record<string, string | undefined>;

/** How long a warm container trusts the SSM value before asking again (a rotated password arrives within this). */
const PARAMETER_MAX_AGE_SECONDS = 300;

let current: { url: string; database: Database } | undefined;

/**
 * One database per Lambda container, reused across warm invocations so the pool survives.
 * Where DATABASE_URL_SSM_PARAMETER names an SSM SecureString (AWS stages, and the prod-shaped
 * stage on MiniStack), the connection string is read through Powertools Parameters, cached for
 * five minutes across invocations; if it changed (a rotated password), the pool is replaced.
 * Otherwise DATABASE_URL is used (the local stage, `invoke local`).
 */
export async function lambdaDatabase(env: Env = process.env): Promise<Database> {
  const url = await resolveDatabaseUrl(env);
  if (current?.url === url) return current.database;
  const previous = current?.database;
  current = { url, database: createDatabase(url, databaseBounds(env)) };
  await previous?.pool.end().catch(() => undefined);
  return current.database;
}

async function resolveDatabaseUrl(env: Env): Promise<string> {
  const parameter = env.DATABASE_URL_SSM_PARAMETER;
  if (!parameter) return databaseUrl(env);
  // Loaded on first use: the local stage and `invoke local` never pay for the SSM client.
  const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
  let value: string | undefined;
  try {
    value = await getParameter(parameter, { decrypt: true, maxAge: PARAMETER_MAX_AGE_SECONDS });
  } catch (error) {
    const reason = (error as Error).cause ?? error;
    throw new ConfigError(`DATABASE_URL_SSM_PARAMETER: cannot read SSM parameter ${parameter}: ${(reason as Error).name}`, {
      cause: error,
    });
  }
  return parsePostgresUrl(value, `SSM parameter ${parameter} (DATABASE_URL_SSM_PARAMETER)`);
}

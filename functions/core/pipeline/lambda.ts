import { ConfigError, databaseBounds, databaseUrl, parsePostgresUrl } from '../config';
import { createDatabase, type Database } from '../store/db';

let database: Promise<Database> | undefined;

/**
 * One database per Lambda container, reused across warm invocations so the pool survives.
 * On AWS the connection string is read once from SSM Parameter Store
 * (DATABASE_URL_SSM_PARAMETER, a SecureString), so it never sits in the function's
 * configuration; DATABASE_URL is used where it is set (local stages, `invoke local`).
 */
export function lambdaDatabase(env: Record<string, string | undefined> = process.env): Promise<Database> {
  database ??= resolveDatabaseUrl(env).then((url) => createDatabase(url, databaseBounds(env)));
  database.catch(() => (database = undefined)); // a failed cold start is retried next time
  return database;
}

async function resolveDatabaseUrl(env: Record<string, string | undefined>): Promise<string> {
  const parameter = env.DATABASE_URL_SSM_PARAMETER;
  if (env.DATABASE_URL || !parameter) return databaseUrl(env);
  const { SSMClient, GetParameterCommand } = await import('@aws-sdk/client-ssm');
  let value: string | undefined;
  try {
    const result = await new SSMClient({}).send(new GetParameterCommand({ Name: parameter, WithDecryption: true }));
    value = result.Parameter?.Value;
  } catch (error) {
    throw new ConfigError(`DATABASE_URL_SSM_PARAMETER: cannot read SSM parameter ${parameter}: ${(error as Error).name}`);
  }
  return parsePostgresUrl(value, `SSM parameter ${parameter} (DATABASE_URL_SSM_PARAMETER)`);
}

// zod/mini: the same validator as zod with a tree-shakable API, a fraction of the bundle size.
import * as z from 'zod/mini';

import { ConfigError } from './errors';

export { ConfigError };

type Env = Record<string, string | undefined>;

const postgresUrl = z.string({ error: 'is required (e.g. postgres://user:password@localhost:5432/spacex)' }).check(
  z.refine((v) => /^postgres(ql)?:\/\/[^/]+/.test(v) && URL.canParse(v), {
    error: 'must be a postgres:// URL such as postgres://user:password@localhost:5432/spacex',
  }),
);

const httpUrl = z.pipe(
  z.string().check(z.refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), 'must be an http(s):// URL')),
  z.transform((v) => v.replace(/\/+$/, '')),
);

const wholeNumber = (min: number, max: number, fallback: number) =>
  z._default(
    z.coerce
      .number({ error: 'must be a whole number' })
      .check(
        z.refine(Number.isInteger, 'must be a whole number'),
        z.gte(min, min === 1 ? 'must be positive' : `must be at least ${min}`),
        z.lte(max, `must be at most ${max}`),
      ),
    fallback,
  );

const sourceSchema = z.object({
  SPACEX_API_URL: z._default(httpUrl, 'https://api.spacexdata.com'),
  SPACEX_API_TIMEOUT_MS: wholeNumber(1, 600_000, 15_000),
  SPACEX_API_RETRIES: wholeNumber(0, 20, 5),
  SPACEX_API_PAGE_SIZE: wholeNumber(1, 100_000, 1_000),
});

const databaseSchema = z.object({ DATABASE_URL: postgresUrl });

/** The bounds of every wait on PostgreSQL (README, Reliability: bounded waits). */
const boundsSchema = z.object({
  PIPELINE_LOCK_WAIT_MS: wholeNumber(1, 3_600_000, 60_000),
  DATABASE_STATEMENT_TIMEOUT_MS: wholeNumber(1, 3_600_000, 600_000),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: wholeNumber(1, 3_600_000, 60_000),
  DATABASE_CONNECT_TIMEOUT_MS: wholeNumber(1, 600_000, 10_000),
});

const eventsSchema = z.object({ EVENT_BUS_NAME: z.optional(z.string()) });

const logSchema = z.object({
  LOG_LEVEL: z._default(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
});

export interface SourceConfig {
  apiUrl: string;
  timeoutMs: number;
  retries: number;
  pageSize: number;
}

export interface DatabaseBounds {
  /** How long a step waits for the pipeline lock (and any other lock) before it gives up. */
  lockWaitMs: number;
  /** The longest one statement may run, server side; the client gives up a little later. */
  statementTimeoutMs: number;
  /** How long a session may sit idle inside an open transaction before the server ends it. */
  idleInTransactionTimeoutMs: number;
  connectTimeoutMs: number;
}

/** Reads one group of variables, naming each bad variable in the error. */
function parse<S extends z.ZodMiniType>(schema: S, env: Env): z.output<S> {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(blankless);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`);
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}. See .env.example.`);
}

export function sourceConfig(env: Env = process.env): SourceConfig {
  const c = parse(sourceSchema, env);
  return {
    apiUrl: c.SPACEX_API_URL,
    timeoutMs: c.SPACEX_API_TIMEOUT_MS,
    retries: c.SPACEX_API_RETRIES,
    pageSize: c.SPACEX_API_PAGE_SIZE,
  };
}

export function databaseUrl(env: Env = process.env): string {
  return parse(databaseSchema, env).DATABASE_URL;
}

export function databaseBounds(env: Env = process.env): DatabaseBounds {
  const c = parse(boundsSchema, env);
  return {
    lockWaitMs: c.PIPELINE_LOCK_WAIT_MS,
    statementTimeoutMs: c.DATABASE_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: c.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    connectTimeoutMs: c.DATABASE_CONNECT_TIMEOUT_MS,
  };
}

/** Validates a connection string that came from elsewhere (e.g. SSM), naming where. */
export function parsePostgresUrl(value: string | undefined, origin: string): string {
  const result = postgresUrl.safeParse(value);
  if (!result.success) throw new ConfigError(`Invalid configuration: ${origin} ${result.error.issues[0].message}.`);
  return result.data;
}

export function eventBusName(env: Env = process.env): string | undefined {
  return parse(eventsSchema, env).EVENT_BUS_NAME;
}

export function logLevel(env: Env = process.env): string {
  return parse(logSchema, env).LOG_LEVEL;
}

/** A connection URL safe to print: the password is replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}

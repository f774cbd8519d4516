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

/** Every message names the allowed values, so the user need not look them up. */
const wholeNumber = (min: number, max: number, fallback: number) => {
  const allowed = `a whole number from ${min} to ${max}`;
  return z._default(
    z.coerce
      .number({ error: `must be ${allowed}` })
      .check(
        z.refine(Number.isInteger, `must be ${allowed}`),
        z.gte(min, `${min === 1 ? 'must be positive' : `must be at least ${min}`} (${allowed})`),
        z.lte(max, `must be at most ${max} (${allowed})`),
      ),
    fallback,
  );
};

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

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const logSchema = z.object({
  LOG_LEVEL: z._default(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }), 'info'),
});

/** Ports of the local PostgreSQL and Trino that the CLI starts (demo, stack, trino up, commands without DATABASE_URL). */
const localSchema = z.object({
  DEMO_PG_PORT: wholeNumber(1, 65_535, 54_320),
  DEMO_TRINO_PORT: wholeNumber(1, 65_535, 8080),
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
export function parse<S extends z.ZodMiniType>(schema: S, env: Env): z.output<S> {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(blankless);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`);
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}. See .env.example.`);
}

export function sourceConfig(env: Env = process.env): SourceConfig {
  const c = parse(sourceSchema, env);
  return { apiUrl: c.SPACEX_API_URL, timeoutMs: c.SPACEX_API_TIMEOUT_MS, retries: c.SPACEX_API_RETRIES, pageSize: c.SPACEX_API_PAGE_SIZE };
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

export function localPorts(env: Env = process.env): { postgres: number; trino: number } {
  const c = parse(localSchema, env);
  return { postgres: c.DEMO_PG_PORT, trino: c.DEMO_TRINO_PORT };
}

const MASK = '***';
/** A query parameter that is a password (password, sslpassword...). */
const SECRET_PARAM = /([?&][^=&#]*pass[^=&#]*=)([^&#]*)/gi;
/** A password inside a parameter's value, e.g. options=-c password=x, URL-encoded or not. */
const SECRET_SETTING = /(password(?:\s|%20|\+)*(?:=|%3D)(?:\s|%20|\+)*)((?:[^&#\s%+]|%(?!20)[0-9A-Fa-f]{2})+)/gi;
const CONNECTION_STRING = /postgres(?:ql)?:\/\/[^\s'"`<>]+/gi;

/** Every password a connection string carries: in its userinfo, and in its parameters (see above). */
export function connectionSecrets(url: string): string[] {
  const found = new Set<string>();
  const add = (raw: string) => {
    if (!raw) return;
    found.add(raw);
    try {
      found.add(decodeURIComponent(raw.replace(/\+/g, ' ')));
    } catch {
      // not encoded
    }
  };
  try {
    add(new URL(url).password);
  } catch {
    // not a URL: only its parameters can be found below
  }
  for (const match of url.matchAll(SECRET_PARAM)) add(match[2]);
  for (const match of url.matchAll(SECRET_SETTING)) add(match[2]);
  return [...found].filter((s) => s.length > 0);
}

/**
 * A connection URL safe to print: every password it carries is replaced, wherever it is
 * (postgres://user:***@host, ?password=***, options=-c password=***). The rest stays as written.
 */
export function redactUrl(url: string): string {
  let safe = url;
  try {
    const { password } = new URL(url);
    if (password) safe = safe.replace(`:${password}@`, `:${MASK}@`);
  } catch {
    return '<unparseable url>';
  }
  return safe.replace(SECRET_PARAM, `$1${MASK}`).replace(SECRET_SETTING, `$1${MASK}`);
}

/** Text safe to print: connection strings in it redacted, and the secrets of `url` (if given) masked anywhere. */
export function redactText(text: string, url?: string): string {
  let safe = text.replace(CONNECTION_STRING, (match) => {
    // Punctuation after a URL in a sentence ("at postgres://...: refused") is not part of it.
    const [, url, after] = /^(.*?)([:.,;)]*)$/.exec(match)!;
    return (URL.canParse(url) ? redactUrl(url) : url.replace(/:[^:@/]*@/, `:${MASK}@`)) + after;
  });
  // Longest first, so a secret that contains another is masked whole.
  for (const secret of (url ? connectionSecrets(url) : []).sort((a, b) => b.length - a.length)) safe = safe.split(secret).join(MASK);
  return safe;
}

/**
 * The configuration of each node the local launcher starts, derived from infra/trino (the
 * folder docker compose mounts as /etc/trino), so both run the same settings.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ConfigError, PipelineError } from '../../functions/core/errors';

/** Environment variables that infra/trino/catalog/postgresql.properties reads with ${ENV:...}. */
export function catalogEnv(databaseUrl: string): {
  PIPELINE_PG_JDBC_URL: string;
  PIPELINE_PG_USER: string;
  PIPELINE_PG_PASSWORD: string;
} {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new ConfigError('the database URL is not a URL (expected postgres://user:password@host:port/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`the database URL must start with postgres:// or postgresql://, not ${url.protocol}//`);
  }
  const database = url.pathname.replace(/^\//, '');
  if (!database) throw new ConfigError('the database URL names no database');
  // Options such as sslmode=require mean the same to the PostgreSQL JDBC driver.
  return {
    PIPELINE_PG_JDBC_URL: `jdbc:postgresql://${url.hostname}:${url.port || 5432}/${database}${url.search}`,
    PIPELINE_PG_USER: decodeURIComponent(url.username),
    PIPELINE_PG_PASSWORD: decodeURIComponent(url.password),
  };
}

// ---------------------------------------------------------------- configuration

/** infra/trino, found upwards from this file: works from the sources and from dist/cli.js. */
function sharedConfigDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'infra', 'trino');
    if (existsSync(join(candidate, 'config.properties'))) return candidate;
  }
  throw new PipelineError(`no infra/trino/config.properties above ${__dirname}`);
}

/** Sets each key to its value, in place if the file has it, else appended. */
export function overrideProperties(text: string, overrides: Record<string, string>): string {
  const pending = new Map(Object.entries(overrides));
  const lines = text.split('\n').map((line) => {
    const key = /^\s*([^#!\s=:][^=:\s]*)\s*[=:]/.exec(line)?.[1];
    if (key === undefined || !pending.has(key)) return line;
    const value = pending.get(key)!;
    pending.delete(key);
    return `${key}=${value}`;
  });
  const body = lines.join('\n').replace(/\n*$/, '\n');
  if (pending.size === 0) return body;
  return `${body}# set by infra/local/trino.ts\n${[...pending].map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
}

/** What the launcher needs to know of one node to write its etc folder. */
export interface NodeSpec {
  role: 'coordinator' | 'worker';
  port: number;
  dataDir: string;
  /** The coordinator's URL: every node's discovery.uri. */
  coordinatorUrl: string;
  /** Workers in the cluster: with any, the coordinator leaves all tasks to them. */
  workers: number;
  /** -Xmx of a worker (e.g. 1G); the coordinator keeps jvm.config's. */
  heap?: string;
}

/** The folder a worker's config.properties comes from, for compose and the launcher alike. */
const WORKER_DIR = 'worker';

/**
 * A node's etc folder: infra/trino as is, except what must differ from the container. Loopback
 * only (bind and announced address): an unauthenticated Trino holding database credentials has
 * no business on the network, and each node must reach the others at the address it announces.
 */
export function nodeConfig(node: NodeSpec): Map<string, string> {
  const source = sharedConfigDir();
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (relative(source, path) !== WORKER_DIR) walk(path);
      } else files.set(relative(source, path), readFileSync(path, 'utf8'));
    }
  };
  walk(source);
  if (node.role === 'worker') {
    files.set('config.properties', readFileSync(join(source, WORKER_DIR, 'config.properties'), 'utf8'));
    if (node.heap) files.set('jvm.config', files.get('jvm.config')!.replace(/^-Xmx\S+$/m, `-Xmx${node.heap}`));
  }
  const overrides: Record<string, Record<string, string>> = {
    'node.properties': {
      'node.id': `spacex-pipeline-${node.port}`,
      'node.data-dir': node.dataDir,
      'node.bind-ip': '127.0.0.1',
      'node.internal-address': '127.0.0.1',
    },
    'config.properties': {
      'http-server.http.port': String(node.port),
      'discovery.uri': node.coordinatorUrl,
      ...(node.role === 'coordinator' ? { 'node-scheduler.include-coordinator': String(node.workers === 0) } : {}),
    },
  };
  for (const [name, values] of Object.entries(overrides)) files.set(name, overrideProperties(files.get(name)!, values));
  return files;
}

/** Changes with any node's files or the catalog's database: a running cluster is then restarted. */
export function fingerprint(nodes: Map<string, string>[], catalog: Record<string, string>): string {
  const hash = createHash('sha256');
  for (const files of nodes) {
    for (const [name, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) hash.update(`${name}\0${text}\0`);
    hash.update('\0node\0');
  }
  for (const [key, value] of Object.entries(catalog)) hash.update(`${key}\0${value}\0`);
  return hash.digest('hex');
}

/** The benchmark's PostgreSQL: its own server (or a given one), fresh databases, and the \copy floor. */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline as pump } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { CURRENT_TABLES, LINK_TABLES, RAW_TABLES } from '../../functions/core/resources';
import { migrate } from '../../functions/core/store/migrate';
import { startLocalPostgres } from '../../infra/local/postgres';
import { ms, option, r3, ROOT, type SizeResult } from './common';

/** Raw and typed tables the backfill fills: what the \copy floor writes too. */
/** Raw and typed tables the backfill fills: what the \\copy floor writes too. */
const RAW: readonly string[] = RAW_TABLES;
const TYPED = [...CURRENT_TABLES, ...LINK_TABLES];

/** The PostgreSQL the benchmark started itself, stopped when it ends. */
let ownServer: { url: string; stop(): void } | undefined;

/** BENCH_DATABASE_URL or TEST_DATABASE_URL (a server URL), else a PostgreSQL of its own. */
export async function postgresServer(): Promise<string> {
  const given = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (given) return given;
  ownServer = await startLocalPostgres({
    dir: path.join(ROOT, '.data/bench-postgres'),
    port: Number(option('--pg-port') ?? 55490),
    database: 'postgres',
  });
  return ownServer.url;
}

/** The server's version and the settings that shape a load, as the results report them. */
export interface ServerSettings {
  version: string;
  shared_buffers: string;
  max_wal_size: string;
}

export async function serverSettings(server: string): Promise<ServerSettings> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    const { rows } = await client.query<ServerSettings>(
      `SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS shared_buffers,
              current_setting('max_wal_size') AS max_wal_size`,
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

function dbUrl(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function freshDatabase(server: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return dbUrl(server, name);
}

export async function dropDatabase(server: string, name: string) {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

/** Stops the PostgreSQL the benchmark started, if it did. */
export function stopOwnServer(): void {
  ownServer?.stop();
}

function psqlPath(): string | undefined {
  for (const candidate of [process.env.PSQL, '/usr/bin/psql', ...(process.env.PATH ?? '').split(':').map((d) => path.join(d, 'psql'))]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Columns the floor writes: everything the pipeline wrote but the generated/defaulted ones of raw tables. */
const rawColumns = '(id, content_hash, document, run_id)';

export async function benchFloor(
  server: string,
  sourceUrl: string,
  label: string,
  documents: number,
): Promise<NonNullable<SizeResult['floor']>> {
  // Prepare: the rows the pipeline committed, as COPY text files (not timed).
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-floor-'));
  const source = new pg.Client({ connectionString: sourceUrl });
  await source.connect();
  try {
    for (const table of [...RAW, ...TYPED]) {
      const select = RAW.includes(table) ? `(SELECT id, content_hash, document, run_id FROM ${table} ORDER BY version_id)` : table;
      await pump(source.query(copyTo(`COPY ${select} TO STDOUT`)), createWriteStream(path.join(dir, `${table}.tsv`)));
    }
  } finally {
    await source.end();
  }
  const name = `bench_floor_${label}`;
  const url = await freshDatabase(server, name);
  // Every migration, as the pipeline's database has: the same indexes, triggers and keys.
  const schema = new pg.Pool({ connectionString: url, max: 1 });
  const client = await schema.connect();
  try {
    await migrate(client);
  } finally {
    client.release();
    await schema.end();
  }
  try {
    const psql = psqlPath();
    const perTableSeconds: Record<string, number> = {};
    const t0 = process.hrtime.bigint();
    if (psql) {
      // One psql session, one \copy per table, timed as a whole (and per table by \timing).
      const script = [...RAW, ...TYPED]
        .map((t) => `\\copy ${t} ${RAW.includes(t) ? rawColumns : ''} FROM '${path.join(dir, `${t}.tsv`)}'`)
        .join('\n');
      const run = spawnSync(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', '\\timing on', '-f', '-', url], {
        input: script,
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (run.status !== 0) throw new Error(`psql failed: ${run.stderr}`);
      const times = [...run.stdout.matchAll(/Time: ([\d.]+) ms/g)].map((m) => Number(m[1]) / 1000);
      for (const [i, t] of [...RAW, ...TYPED].entries()) perTableSeconds[t] = r3(times[i] ?? 0);
    } else {
      // No psql client: the same COPY FROM STDIN, the file streamed by node.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      for (const t of [...RAW, ...TYPED]) {
        const t1 = process.hrtime.bigint();
        await pump(
          createReadStream(path.join(dir, `${t}.tsv`)),
          client.query(copyFrom(`COPY ${t} ${RAW.includes(t) ? rawColumns : ''} FROM STDIN`)),
        );
        perTableSeconds[t] = r3(ms(t1) / 1000);
      }
      await client.end();
    }
    const seconds = ms(t0) / 1000;
    return {
      tool: psql ? 'psql \\copy' : 'node COPY FROM STDIN',
      seconds: r3(seconds),
      docsPerSecond: Math.round(documents / seconds),
      perTableSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase(server, name);
  }
}

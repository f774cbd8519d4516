/** pandas to_sql from the same simulated API: the comparison a data engineer would reach for first. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { CACHE, ms, r3, ROOT, say, type SizeResult } from './common';
import { dropDatabase, freshDatabase } from './postgres';

/** A virtualenv with pandas, SQLAlchemy and psycopg2, made once and cached outside the repository. */
function pandasPython(): string {
  const venv = process.env.BENCH_VENV ?? path.join(CACHE, 'bench-venv');
  const python = path.join(venv, 'bin', 'python');
  const ok = () => existsSync(python) && spawnSync(python, ['-c', 'import pandas, sqlalchemy, psycopg2'], { stdio: 'ignore' }).status === 0;
  if (!ok()) {
    say(`creating ${venv} (pandas, sqlalchemy, psycopg2-binary)`);
    mkdirSync(path.dirname(venv), { recursive: true });
    execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(
      path.join(venv, 'bin', 'pip'),
      ['install', '-q', '--disable-pip-version-check', 'pandas', 'sqlalchemy', 'psycopg2-binary'],
      { stdio: 'inherit' },
    );
  }
  return python;
}

export async function benchPandas(server: string, label: string, apiUrl: string): Promise<NonNullable<SizeResult['pandas']>> {
  const python = pandasPython();
  const name = `bench_pandas_${label}`;
  const url = await freshDatabase(server, name);
  try {
    const child = spawn(python, [path.join(ROOT, 'test/bench/pandas_load.py'), apiUrl, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const t0 = process.hrtime.bigint();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const wall = ms(t0) / 1000;
    if (code !== 0) throw new Error(`pandas_load.py exited with ${code}`);
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as { documents: number; seconds: number };
    // Wall time of the process (interpreter and pandas import included), like the backfill's.
    return { seconds: r3(wall), docsPerSecond: Math.round(out.documents / wall), documents: out.documents };
  } finally {
    await dropDatabase(server, name);
  }
}

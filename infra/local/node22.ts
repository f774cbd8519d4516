/**
 * Node 22, the runtime the functions are deployed on (nodejs22.x), for hosts that run another
 * Node: the official binary, published on the npm registry as the package node-<platform>-<arch>,
 * fetched once (npm pack, checked against the registry's integrity hash) into
 * ~/.cache/spacex-pipeline/node22/. test/bench/lambda.mjs, MiniStack's workers and the handler
 * tests run on it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export const NODE22_VERSION = '22.23.3';
const CACHE = path.join(homedir(), '.cache', 'spacex-pipeline', 'node22');

const reports = (file: string) => {
  try {
    return (
      execFileSync(file, ['--version'], { env: { PATH: process.env.PATH } })
        .toString()
        .trim() === `v${NODE22_VERSION}`
    );
  } catch {
    return false;
  }
};

/** The path of a Node 22 binary: this one if it is Node 22, else the cached or fetched one. Throws if it cannot be had. */
export function node22(log: (message: string) => void = () => {}): string {
  if (process.version === `v${NODE22_VERSION}`) return process.execPath;
  const bin = path.join(CACHE, `v${NODE22_VERSION}`, 'bin', 'node');
  if (reports(bin)) return bin;
  const pkg = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}@${NODE22_VERSION}`;
  mkdirSync(CACHE, { recursive: true });
  const work = mkdtempSync(path.join(CACHE, 'fetch-'));
  try {
    log(`fetching Node ${NODE22_VERSION} (npm pack ${pkg}, ~50 MB, once) into ${CACHE}`);
    const tarball = execFileSync('npm', ['pack', pkg, '--silent'], { cwd: work, timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] })
      .toString()
      .trim()
      .split('\n')
      .pop() as string;
    execFileSync('tar', ['-xzf', tarball, 'package/bin/node'], { cwd: work, timeout: 120_000 });
    const unpacked = path.join(work, 'package', 'bin', 'node');
    if (!reports(unpacked)) throw new Error(`${pkg}'s bin/node does not report v${NODE22_VERSION}`);
    rmSync(path.dirname(path.dirname(bin)), { recursive: true, force: true });
    mkdirSync(path.dirname(bin), { recursive: true });
    renameSync(unpacked, bin);
    return bin;
  } catch (error) {
    const reason = ((error as { stderr?: Buffer }).stderr?.toString().trim().split('\n').pop() || (error as Error).message).slice(0, 300);
    throw new Error(`Node ${NODE22_VERSION} could not be had (${reason})`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** PATH with Node 22's folder first, so a child's `node` (MiniStack's workers, osls) is Node 22. */
export function pathWithNode22(log?: (message: string) => void, base = process.env.PATH ?? ''): string {
  return `${path.dirname(node22(log))}${path.delimiter}${base}`;
}

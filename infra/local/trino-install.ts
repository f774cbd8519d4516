/**
 * Trino's installation for the local launcher (infra/local/trino.ts): a JDK recent enough, and
 * Trino 476 fetched once with Maven into a cache folder outside the repository.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineError } from '../../functions/core/errors';

export const TRINO_VERSION = '476';
/** Trino 476 requires Java 24; 446 was the last release on Java 21. */
const MIN_JAVA = 24;
/** Maven 3.8's default dependency plugin is too old to copy these artifacts. */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

export interface RunResult {
  code: number | null;
  output: string;
}

/** Runs a command to its end and keeps its combined output for error messages. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function runOrThrow(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new PipelineError(`${command} ${args.join(' ')} failed (${result.code}):\n${tail(result.output, 30)}`);
}

export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function javaMajor(javaHome: string): number | undefined {
  const java = join(javaHome, 'bin', 'java');
  if (!existsSync(java)) return undefined;
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return undefined;
  return match[1] === '1' ? Number(match[2]) : Number(match[1]); // "1.8.0" is Java 8
}

function listDirs(parent: string): string[] {
  try {
    return readdirSync(parent).map((name) => join(parent, name));
  } catch {
    return [];
  }
}

/** JAVA_HOME if recent enough (often still 17 or 21), else the newest JDK in the usual folders. */
export function findJdk(): string {
  const fromEnv = process.env.JAVA_HOME;
  if (fromEnv && (javaMajor(fromEnv) ?? 0) >= MIN_JAVA) return fromEnv;
  const found = [...listDirs('/usr/lib/jvm'), ...listDirs('/Library/Java/JavaVirtualMachines').map((dir) => join(dir, 'Contents', 'Home'))]
    .map((home) => ({ home, major: javaMajor(home) ?? 0 }))
    .filter((jdk) => jdk.major >= MIN_JAVA)
    .sort((a, b) => b.major - a.major);
  if (found.length > 0) return found[0].home;
  throw new PipelineError(
    `Trino ${TRINO_VERSION} needs a JDK ${MIN_JAVA} or newer, and none was found ` +
      `(JAVA_HOME${fromEnv ? ` is ${fromEnv}` : ' is not set'}; looked in /usr/lib/jvm). ` +
      'Install one, e.g. the Debian/Ubuntu package temurin-25-jdk from Adoptium, or set JAVA_HOME to it.',
  );
}

// ---------------------------------------------------------------- installation

async function mavenCopy(artifact: string, outputDirectory: string): Promise<RunResult> {
  const args = ['-q', '-B', `${DEPENDENCY_PLUGIN}:copy`, `-Dartifact=${artifact}`, `-DoutputDirectory=${outputDirectory}`];
  try {
    return await run('mvn', args);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new PipelineError(`Maven (mvn) is needed to download Trino ${TRINO_VERSION} once; install it (e.g. apt-get install maven).`);
  }
}

async function download(artifact: string, outputDirectory: string): Promise<string> {
  const result = await mavenCopy(artifact, outputDirectory);
  if (result.code !== 0) throw new PipelineError(`Maven could not fetch ${artifact}:\n${tail(result.output, 15)}`);
  const [, name, version, extension] = artifact.split(':');
  return join(outputDirectory, `${name}-${version}.${extension}`);
}

/** unzip where installed, else the JDK's jar tool, else Python: all extract into the current folder. */
async function unzip(zip: string, into: string, javaHome: string): Promise<void> {
  mkdirSync(into, { recursive: true });
  const tools: [string, string[]][] = [
    ['unzip', ['-q', zip]],
    [join(javaHome, 'bin', 'jar'), ['xf', zip]],
    ['python3', ['-m', 'zipfile', '-e', zip, '.']],
  ];
  for (const [command, args] of tools) {
    try {
      await runOrThrow(command, args, { cwd: into });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new PipelineError(`cannot extract ${zip}: install unzip`);
}

/**
 * The PostgreSQL plugin comes as its own zip, but some Maven mirrors do not serve it; the full
 * server archive (about 820 MB) has it too. That archive stores jars as hard links across
 * folders, so it is unpacked whole and only plugin/postgresql kept.
 */
async function fetchPostgresPlugin(downloads: string, staging: string, javaHome: string, log: (m: string) => void): Promise<string> {
  const zipArtifact = `io.trino:trino-postgresql:${TRINO_VERSION}:zip`;
  const zip = await mavenCopy(zipArtifact, downloads);
  if (zip.code === 0) {
    await unzip(join(downloads, `trino-postgresql-${TRINO_VERSION}.zip`), join(staging, 'postgresql-zip'), javaHome);
    return join(staging, 'postgresql-zip', `trino-postgresql-${TRINO_VERSION}`);
  }
  log(`${zipArtifact} is not available from Maven here; taking the plugin from the full server archive (about 820 MB)`);
  const full = await download(`io.trino:trino-server:${TRINO_VERSION}:tar.gz`, downloads);
  mkdirSync(join(staging, 'full'), { recursive: true });
  await runOrThrow('tar', ['-xzf', full, '-C', join(staging, 'full')]);
  return join(staging, 'full', `trino-server-${TRINO_VERSION}`, 'plugin', 'postgresql');
}

/** Where Trino is installed inside the cache folder. */
export function installDirOf(cacheDir: string): string {
  return join(cacheDir, `trino-server-${TRINO_VERSION}`);
}

export function isInstalled(cacheDir: string): boolean {
  return existsSync(join(installDirOf(cacheDir), 'plugin', 'postgresql'));
}

/**
 * Installs trino-server-core (the server without connectors) plus the PostgreSQL plugin, once.
 * Everything is assembled in a staging folder and renamed into place, so an interrupted
 * download never leaves a half-installed server behind. The caller holds the cache's lock.
 */
export async function ensureInstalled(cacheDir: string, javaHome: string, log: (message: string) => void): Promise<void> {
  if (isInstalled(cacheDir)) return;
  const installDir = installDirOf(cacheDir);
  const downloads = join(cacheDir, 'downloads');
  const staging = join(cacheDir, 'staging');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    log(`downloading Trino ${TRINO_VERSION} with Maven (about 200 MB, once)`);
    const core = await download(`io.trino:trino-server-core:${TRINO_VERSION}:tar.gz`, downloads);
    const plugin = await fetchPostgresPlugin(downloads, staging, javaHome, log);
    log(`unpacking into ${installDir}`);
    await runOrThrow('tar', ['-xzf', core, '-C', staging]);
    const server = join(staging, `trino-server-core-${TRINO_VERSION}`);
    renameSync(plugin, join(server, 'plugin', 'postgresql'));
    rmSync(installDir, { recursive: true, force: true });
    renameSync(server, installDir);
  } finally {
    // Maven keeps its own copy in the local repository; these are only working copies.
    rmSync(staging, { recursive: true, force: true });
    rmSync(downloads, { recursive: true, force: true });
  }
}

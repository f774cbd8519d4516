/**
 * The pipeline's one error model. Every error the product raises on purpose derives from
 * PipelineError, which names itself, keeps what caused it, and says how a command should exit.
 * The CLI and the Lambda handlers turn errors into output in one place each (`describeError`).
 */
import type { RunSummary } from './store/runs';

export interface PipelineErrorOptions {
  cause?: unknown;
}

/**
 * Marks the pipeline's errors across bundles: the CLI's local tooling (dist/local.js) carries its
 * own copy of these classes, so `instanceof` alone would not know its errors.
 */
const BRAND = Symbol.for('spacex-pipeline.error');

export class PipelineError extends Error {
  /** The exit code of a command that ends with this error: 2 for bad input, 1 otherwise. */
  readonly exitCode: number = 1;
  readonly [BRAND] = true;

  constructor(message: string, options: PipelineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

function isPipelineError(error: unknown): error is PipelineError {
  return error instanceof PipelineError || (error instanceof Error && (error as { [BRAND]?: boolean })[BRAND] === true);
}

/** Invalid configuration (an environment variable, a flag, an SSM parameter): exit code 2. */
export class ConfigError extends PipelineError {
  override readonly exitCode = 2;
}

/** The API could not be used: unreachable, failing, or answering something that is not the API. */
export class SourceError extends PipelineError {}

/** PostgreSQL could not be used (unreachable, refused, lost); the message never holds the password. */
export class StoreError extends PipelineError {}

/** Trino answered an error, or could not be reached. */
export class QueryError extends PipelineError {}

/** A run failed; its pipeline_runs row says so and why. */
export class RunFailed extends PipelineError {
  constructor(
    readonly summary: RunSummary,
    cause: unknown,
  ) {
    super(`${summary.step} run ${summary.runId} failed: ${summary.error}`, { cause });
  }
}

/**
 * What a user is told: a PipelineError's message (written for them), anything else with its
 * stack (a bug to report). The exit code goes with it.
 */
export function describeError(error: unknown): { message: string; exitCode: number } {
  if (isPipelineError(error)) return { message: error.message, exitCode: error.exitCode };
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { message, exitCode: 1 };
}

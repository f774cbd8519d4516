import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { RunFailed } from '../core/errors';
import { correlate, powertoolsLogger } from '../core/log';
import { aggregateLagSeconds } from '../core/pipeline/watermarks';
import type { RunSummary, Step } from '../core/store/runs';
import { lambdaDatabase } from './database';

/**
 * EMF metrics (namespace POWERTOOLS_METRICS_NAMESPACE, `spacex-pipeline/<stage>`), printed on
 * stdout where Lambda turns them into CloudWatch metrics. Dimensions: service and step; the
 * per-resource counts add `resource`. The alarms in serverless.yml name these exactly.
 */
const SERVICE = 'spacex-pipeline';
const namespace = process.env.POWERTOOLS_METRICS_NAMESPACE || 'spacex-pipeline/local';
const metrics = new Metrics({ serviceName: SERVICE, namespace });
let coldStart = true;

interface LoadCounts {
  received: number;
  appended: number;
  quarantined: number;
}
const isLoadCounts = (value: unknown): value is LoadCounts =>
  typeof value === 'object' && value !== null && 'received' in value && 'appended' in value && 'quarantined' in value;

/**
 * Wraps a step's handler: logs carry the Lambda context (request id, cold start, function name
 * and version) and the correlation id the event brought (`correlationOf`); afterwards the run's
 * metrics are published, failed or not. The handler's result is the run summary.
 */
export function observed<E>(
  step: Step,
  run: (event: E) => Promise<RunSummary>,
  correlationOf: (event: E) => string | undefined = () => undefined,
): (event?: E, context?: Context) => Promise<RunSummary> {
  metrics.setDefaultDimensions({ step });
  return async (event = {} as E, context) => {
    powertoolsLogger.resetKeys();
    if (context) {
      powertoolsLogger.addContext(context);
      // Powertools keeps the version with the context but does not print it.
      powertoolsLogger.appendKeys({ function_version: context.functionVersion });
    }
    metrics.captureColdStartMetric(context?.functionName || undefined);
    const release = correlate(correlationOf(event));
    if (coldStart) powertoolsLogger.info('cold start', { node: process.version });
    coldStart = false;
    let summary: RunSummary | undefined;
    try {
      summary = await run(event);
      return summary;
    } catch (error) {
      if (error instanceof RunFailed) summary = error.summary;
      throw error;
    } finally {
      release();
      await record(summary);
    }
  };
}

/** A run's metrics; none when no run could start (invalid configuration, no database): the Errors alarm covers that. */
async function record(summary: RunSummary | undefined): Promise<void> {
  if (!summary) return;
  try {
    metrics.addMetric(summary.status === 'succeeded' ? 'RunSucceeded' : 'RunFailed', MetricUnit.Count, 1);
    if (typeof summary.counts.ms === 'number') metrics.addMetric('RunDuration', MetricUnit.Milliseconds, summary.counts.ms);
    metrics.addMetric('ChangedLaunches', MetricUnit.Count, summary.changedLaunchIds.length);
    for (const [resource, counts] of Object.entries(summary.counts)) {
      if (!isLoadCounts(counts)) continue;
      // One blob per resource: its own dimension set, {service, step, resource}.
      const perResource = new Metrics({
        serviceName: SERVICE,
        namespace,
        defaultDimensions: { step: summary.step, resource },
      });
      perResource.addMetric('DocumentsReceived', MetricUnit.Count, counts.received);
      perResource.addMetric('DocumentsAppended', MetricUnit.Count, counts.appended);
      perResource.addMetric('DocumentsQuarantined', MetricUnit.Count, counts.quarantined);
      perResource.publishStoredMetrics();
    }
    metrics.addMetric('AggregateLag', MetricUnit.Seconds, await measureLag());
  } catch (error) {
    powertoolsLogger.warn('aggregate lag could not be measured', { error });
  } finally {
    metrics.publishStoredMetrics();
  }
}

/** Measured after every run, so a stalled aggregate shows as a growing lag at each ingest tick. */
async function measureLag(): Promise<number> {
  const { pool } = await lambdaDatabase();
  const client = await pool.connect();
  try {
    return await aggregateLagSeconds(client);
  } finally {
    client.release();
  }
}

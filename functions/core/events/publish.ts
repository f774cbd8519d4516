import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { RunSummary } from '../store/runs';

/** The event that starts the aggregate function (matched by the rule in serverless.yml). */
export const EVENT_SOURCE = 'spacex-pipeline';
export const LAUNCHES_CHANGED = 'launches.changed';

export interface LaunchesChanged {
  runId: number;
  step: string;
  changedLaunchIds: string[];
  /** `<step>#<runId>` of the announcing run: the correlation id its logs and aggregate's carry (absent in older events). */
  correlationId?: string;
}

/** The correlation id of a run, as the logs of the run and of the aggregate it starts carry it. */
export const correlationIdOf = (run: { step: string; runId: number }): string => `${run.step}#${run.runId}`;

/**
 * Publishes `launches.changed` on the pipeline's bus; the SDK honours AWS_ENDPOINT_URL for emulators.
 * The SDK is imported on the first publish, not at module load: its module bodies cost a cold start
 * ~100 ms, and most ingest invocations (an unchanged source) never publish.
 */
export function eventPublisher(busName: string, client?: EventBridgeClient) {
  let sdk: Promise<typeof import('./eventbridge')> | undefined;
  return async (summary: RunSummary): Promise<void> => {
    sdk ??= import('./eventbridge');
    const { EventBridgeClient, PutEventsCommand } = await sdk;
    client ??= new EventBridgeClient({});
    const detail: LaunchesChanged = {
      runId: summary.runId,
      step: summary.step,
      changedLaunchIds: summary.changedLaunchIds,
      correlationId: correlationIdOf(summary),
    };
    const result = await client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: busName, Source: EVENT_SOURCE, DetailType: LAUNCHES_CHANGED, Detail: JSON.stringify(detail) }],
      }),
    );
    if (result.FailedEntryCount) {
      const entry = result.Entries?.find((e) => e.ErrorCode);
      throw new Error(`EventBridge refused the ${LAUNCHES_CHANGED} event on bus ${busName}: ${entry?.ErrorCode} ${entry?.ErrorMessage}`);
    }
  };
}

import type { EventBridgeEvent } from 'aws-lambda';
import { aggregate } from './core/pipeline/aggregate';
import type { LaunchesChanged } from './core/events/publish';
import { lambdaDatabase } from './core/pipeline/lambda';

/** `launches.changed` event: refreshes the aggregates for everything not yet reflected. */
export const handler = async (event: Partial<EventBridgeEvent<'launches.changed', LaunchesChanged>> = {}) =>
  aggregate(await lambdaDatabase(), event.detail ? `event:${event.detail.step}#${event.detail.runId}` : 'invoke');

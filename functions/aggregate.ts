import type { EventBridgeEvent } from 'aws-lambda';
import { correlationIdOf, type LaunchesChanged } from './core/events/publish';
import { aggregate } from './core/pipeline/aggregate';
import { lambdaDatabase } from './lambda/database';
import { observed } from './lambda/observe';

type Event = Partial<EventBridgeEvent<'launches.changed', LaunchesChanged>>;
const correlationOf = ({ detail }: Event) => (detail ? (detail.correlationId ?? correlationIdOf(detail)) : undefined);

/** `launches.changed` event: refreshes the aggregates for everything not yet reflected. */
export const handler = observed(
  'aggregate',
  async (event: Event) => aggregate(await lambdaDatabase(), event.detail ? `event:${correlationOf(event)}` : 'invoke'),
  correlationOf,
);

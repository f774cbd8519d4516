import type { EventBridgeEvent } from 'aws-lambda';
import { ingest } from './core/pipeline/ingest';
import { lambdaPipeline } from './core/pipeline/lambda-pipeline';

/** Schedule: appends what changed at the source since the last tick, then announces it. */
export const handler = async (event: Partial<EventBridgeEvent<string, unknown>> = {}) =>
  ingest(await lambdaPipeline(), event['detail-type'] ?? 'invoke');

import type { EventBridgeEvent } from 'aws-lambda';
import { backfill } from './core/pipeline/backfill';
import { lambdaPipeline } from './core/pipeline/lambda-pipeline';

/** Daily schedule or on demand: loads the full history, then announces changes. */
export const handler = async (event: Partial<EventBridgeEvent<string, unknown>> = {}) =>
  backfill(await lambdaPipeline(), event['detail-type'] ?? 'invoke');

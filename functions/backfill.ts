import type { ScheduledEvent } from 'aws-lambda';
import { backfill } from './core/pipeline/backfill';
import { observed } from './lambda/observe';
import { lambdaPipeline } from './lambda/pipeline';

/** Daily schedule or on demand: loads the full history, then announces changes. */
export const handler = observed('backfill', async (event: Partial<ScheduledEvent>) =>
  backfill(await lambdaPipeline(), event['detail-type'] ?? 'invoke'),
);

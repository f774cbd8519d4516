import type { ScheduledEvent } from 'aws-lambda';
import { ingest } from './core/pipeline/ingest';
import { observed } from './lambda/observe';
import { lambdaPipeline } from './lambda/pipeline';

/** Schedule: appends what changed at the source since the last tick, then announces it. */
export const handler = observed('ingest', async (event: Partial<ScheduledEvent>) =>
  ingest(await lambdaPipeline(), event['detail-type'] ?? 'invoke'),
);

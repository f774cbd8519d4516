import { eventBusName, sourceConfig } from '../core/config';
import { eventPublisher } from '../core/events/publish';
import { refreshAggregates } from '../core/pipeline/aggregate';
import type { Announce, Pipeline } from '../core/pipeline/context';
import { createSourceClient, type SourceClient } from '../core/source/client';
import { lambdaDatabase } from './database';

type Env = Record<string, string | undefined>;

let parts: { source: SourceClient; announce?: Announce } | undefined;

/**
 * The loading steps' pipeline in a Lambda container: the database, the source, and an
 * EventBridge announcement that starts the aggregate function. Kept apart from
 * lambdaDatabase so the aggregate bundle carries neither the HTTP client nor EventBridge.
 */
export async function lambdaPipeline(env: Env = process.env): Promise<Pipeline> {
  const database = await lambdaDatabase(env);
  parts ??= { source: createSourceClient(sourceConfig(env)), announce: announcement(env) };
  return { ...database, ...parts };
}

/**
 * On a deployed stage, the `launches.changed` event on the pipeline bus. Under `serverless invoke
 * local` (IS_LOCAL) without an emulator (AWS_ENDPOINT_URL) there is no bus to publish on: the
 * aggregates are refreshed in the same process instead, as the command line does.
 */
function announcement(env: Env): Announce | undefined {
  if (env.IS_LOCAL === 'true' && !env.AWS_ENDPOINT_URL) return refreshAggregates('invoke-local');
  const bus = eventBusName(env);
  return bus ? eventPublisher(bus) : undefined;
}

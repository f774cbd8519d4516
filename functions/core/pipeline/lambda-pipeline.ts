import { eventBusName, sourceConfig } from '../config';
import { eventPublisher } from '../events/publish';
import { createSourceClient } from '../source/client';
import type { Pipeline } from './context';
import { lambdaDatabase } from './lambda';

let pipeline: Promise<Pipeline> | undefined;

/**
 * The loading steps' pipeline in a Lambda container: the database, the source, and an
 * EventBridge announcement that starts the aggregate function. Kept apart from
 * lambdaDatabase so the aggregate bundle carries neither the HTTP client nor EventBridge.
 */
export function lambdaPipeline(env: Record<string, string | undefined> = process.env): Promise<Pipeline> {
  pipeline ??= lambdaDatabase(env).then((database) => {
    const bus = eventBusName(env);
    const source = createSourceClient(sourceConfig(env));
    return { ...database, source, announce: bus ? eventPublisher(bus) : undefined };
  });
  pipeline.catch(() => (pipeline = undefined));
  return pipeline;
}

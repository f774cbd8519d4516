import { eventBusName } from '../config';
import { eventPublisher } from '../events/publish';
import { createPipeline, type Pipeline } from './context';

let pipeline: Pipeline | undefined;

/**
 * One pipeline per Lambda container, reused across warm invocations so the connection
 * pool survives; it is built on first use, so a config error fails the invocation clearly.
 */
export function lambdaPipeline(): Pipeline {
  if (!pipeline) {
    const created = createPipeline();
    const bus = eventBusName();
    pipeline = bus ? { ...created, announce: eventPublisher(bus) } : created;
  }
  return pipeline;
}

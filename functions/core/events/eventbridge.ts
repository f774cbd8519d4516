// The only two pieces of the EventBridge SDK the pipeline uses, in a module of their own so that
// publish.ts can load them on first use and the bundler keeps just these (and what they need),
// not the other commands and the aggregated `EventBridge` class of the package index.
export { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';

/**
 * `spacex-pipeline redrive`: re-invokes what sits in the failure queue. Each message is one
 * invocation that failed every retry: a Lambda on-failure destination record (the function's ARN in
 * requestContext, its event in requestPayload) or a Scheduler dead letter (the schedule's input as
 * the body, the function's ARN in the TARGET_ARN attribute). Each is invoked again synchronously and
 * its message deleted only once that invocation succeeded; a failed one is released at once for a
 * later redrive. Re-running a step is safe: runs are idempotent, so a redrive of data that is
 * already current changes nothing.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { PipelineError } from '../errors';
import { log } from '../log';

export interface RedriveOptions {
  /** The failure queue's URL; default: the stage's queue, spacex-pipeline-<stage>-failed. */
  queueUrl?: string;
  stage?: string;
  /** Stop after this many messages (default: until the queue is empty). */
  limit?: number;
  sqs?: SQSClient;
  lambda?: LambdaClient;
}

export interface RedriveReport {
  queueUrl: string;
  redriven: { functionArn: string; messageId: string }[];
  failed: { functionArn: string; messageId: string; error: string }[];
  unreadable: { messageId: string; reason: string }[];
}

/** A message that redrive cannot use (not a failed-invocation record) stays in the queue, named in the report. */
export class RedriveError extends PipelineError {}

interface FailedInvocation {
  functionArn: string;
  payload: string;
}

/** What a failure-queue message asks to re-invoke, or why it cannot be read. */
export function failedInvocation(message: Pick<Message, 'Body' | 'MessageAttributes'>): FailedInvocation | { reason: string } {
  let body: unknown;
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    return { reason: 'the body is not JSON' };
  }
  const record = body as { requestContext?: { functionArn?: unknown }; requestPayload?: unknown };
  if (typeof record?.requestContext?.functionArn === 'string') {
    return { functionArn: record.requestContext.functionArn, payload: JSON.stringify(record.requestPayload ?? {}) };
  }
  const target = message.MessageAttributes?.TARGET_ARN?.StringValue;
  if (target) return { functionArn: target, payload: message.Body ?? '{}' };
  return { reason: 'neither a Lambda on-failure record (requestContext.functionArn) nor a Scheduler dead letter (TARGET_ARN)' };
}

export async function redrive(options: RedriveOptions = {}): Promise<RedriveReport> {
  const sqsSdk = await import('@aws-sdk/client-sqs');
  const lambdaSdk = await import('@aws-sdk/client-lambda');
  const sqs = options.sqs ?? new sqsSdk.SQSClient({});
  const lambda = options.lambda ?? new lambdaSdk.LambdaClient({});
  const queueUrl =
    options.queueUrl ??
    (await sqs.send(new sqsSdk.GetQueueUrlCommand({ QueueName: `spacex-pipeline-${options.stage ?? 'local'}-failed` }))).QueueUrl!;
  const report: RedriveReport = { queueUrl, redriven: [], failed: [], unreadable: [] };
  const seen = new Set<string>();
  const limit = options.limit ?? Number.POSITIVE_INFINITY;

  while (seen.size < limit) {
    const { Messages: messages = [] } = await sqs.send(
      new sqsSdk.ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, limit - seen.size),
        MessageAttributeNames: ['All'],
        // Long enough for a backfill (15 minutes): nobody else receives the message meanwhile.
        VisibilityTimeout: 960,
        WaitTimeSeconds: 1,
      }),
    );
    const release = (message: Message) =>
      sqs.send(
        new sqsSdk.ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }),
      );
    // A message released after a failed invocation comes back: leave it visible, and stop when only those remain.
    const fresh = messages.filter((m) => !seen.has(m.MessageId!));
    for (const message of messages.filter((m) => seen.has(m.MessageId!))) await release(message);
    if (fresh.length === 0) break;
    for (const message of fresh) {
      seen.add(message.MessageId!);
      const invocation = failedInvocation(message);
      if ('reason' in invocation) {
        report.unreadable.push({ messageId: message.MessageId!, reason: invocation.reason });
        log.warn({ messageId: message.MessageId, reason: invocation.reason }, 'redrive: message left in the queue');
        await release(message);
        continue;
      }
      const { functionArn, payload } = invocation;
      log.info({ messageId: message.MessageId, functionArn }, 'redrive: invoking');
      const error = await lambda
        .send(new lambdaSdk.InvokeCommand({ FunctionName: functionArn, InvocationType: 'RequestResponse', Payload: Buffer.from(payload) }))
        .then((result) => (result.FunctionError ? `${result.FunctionError}: ${Buffer.from(result.Payload ?? []).toString()}` : undefined))
        .catch((e: Error) => `${e.name}: ${e.message}`);
      if (error === undefined) {
        await sqs.send(new sqsSdk.DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
        report.redriven.push({ functionArn, messageId: message.MessageId! });
      } else {
        report.failed.push({ functionArn, messageId: message.MessageId!, error: error.slice(0, 500) });
        log.warn({ messageId: message.MessageId, functionArn, error }, 'redrive: invocation failed; message kept');
        await release(message);
      }
    }
  }
  return report;
}

/** The report as the command prints it; throws (exit 1) when anything was left in the queue. */
export function describeRedrive(report: RedriveReport): string {
  const lines = [
    `${report.redriven.length} redriven, ${report.failed.length} failed, ${report.unreadable.length} unreadable (${report.queueUrl})`,
  ];
  for (const r of report.redriven) lines.push(`  ok      ${r.functionArn}  ${r.messageId}`);
  for (const f of report.failed) lines.push(`  failed  ${f.functionArn}  ${f.messageId}  ${f.error}`);
  for (const u of report.unreadable) lines.push(`  skipped ${u.messageId}  ${u.reason}`);
  const text = lines.join('\n');
  if (report.failed.length > 0 || report.unreadable.length > 0) throw new RedriveError(`${text}\nThe messages above stay in the queue.`);
  return text;
}

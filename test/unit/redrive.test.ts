/** What a failure-queue message asks `spacex-pipeline redrive` to re-invoke (functions/core/events/redrive.ts). */
import { failedInvocation } from '../../functions/core/events/redrive';

describe('failedInvocation', () => {
  it('reads a Lambda on-failure destination record: the function and its original event', () => {
    const event = { source: 'spacex-pipeline', 'detail-type': 'launches.changed', detail: { runId: 4 } };
    const body = JSON.stringify({
      version: '1.0',
      requestContext: { requestId: 'r', functionArn: 'arn:aws:lambda:us-east-1:1:function:spacex-pipeline-prod-aggregate:$LATEST' },
      requestPayload: event,
      responseContext: { statusCode: 200, functionError: 'Unhandled' },
    });
    expect(failedInvocation({ Body: body })).toEqual({
      functionArn: 'arn:aws:lambda:us-east-1:1:function:spacex-pipeline-prod-aggregate:$LATEST',
      payload: JSON.stringify(event),
    });
  });

  it('reads a Scheduler dead letter: the schedule input as the event, the target from TARGET_ARN', () => {
    const body = '{"source":"aws.scheduler","detail-type":"Scheduled Event"}';
    const arn = 'arn:aws:lambda:us-east-1:1:function:spacex-pipeline-prod-ingest';
    expect(failedInvocation({ Body: body, MessageAttributes: { TARGET_ARN: { DataType: 'String', StringValue: arn } } })).toEqual({
      functionArn: arn,
      payload: body,
    });
  });

  it('names what it cannot use', () => {
    expect(failedInvocation({ Body: 'not json' })).toEqual({ reason: 'the body is not JSON' });
    expect(failedInvocation({ Body: '{"hello":1}' })).toEqual({ reason: expect.stringContaining('neither a Lambda on-failure record') });
  });
});

import { describe, expect, it } from 'vitest';
import { createReaderHandler } from '#lib/handlers/reader.ts';
import { createWriterHandler } from '#lib/handlers/writer.ts';
import { minimalGetHandler, minimalPostHandler } from '../../bench/baseline/minimal-handlers.ts';
import { cannedRequestHandler } from '../../bench/canned-dynamodb.ts';
import { lambdaContext, type WarmScenario, warmScenarios } from '../../bench/warm-scenarios.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbEventStore } from '#lib/store/dynamodb-event-store.ts';

const TABLE = 'bench';

/** A client over the scenario's canned answers that records each request's operation and body. */
function recordingClient(scenario: WarmScenario) {
  const sent: { operation: string; body: unknown }[] = [];
  const canned = cannedRequestHandler(scenario.answers);
  const requestHandler = {
    ...canned,
    handle: (request: { headers: Record<string, string>; body: Uint8Array | string }) => {
      const text = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
      sent.push({ operation: request.headers['x-amz-target']!.split('.')[1]!, body: JSON.parse(text) });
      return canned.handle(request);
    },
  };
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, requestHandler: requestHandler as never });
  return { client: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), sent };
}

/** receivedAt is the server's clock at each request, the one field that may differ between two runs. */
const withoutReceivedAt = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replace(/"receivedAt":\{"S":"[^"]+"\}/g, '"receivedAt":{"S":"…"}'));

describe('the warm benchmark compares like with like', () => {
  it.each(warmScenarios().map((scenario) => [scenario.name, scenario] as const))(
    '%s: the minimal handler sends the same DynamoDB requests and answers the same as ours',
    async (_name, scenario) => {
      // Arrange
      const ours = recordingClient(scenario);
      const baseline = recordingClient(scenario);
      const isPost = scenario.event.requestContext.http.method === 'POST';
      const store = createDynamoDbEventStore({ client: ours.client, tableName: TABLE, retentionDays: 0 });
      const oursHandler = (isPost ? createWriterHandler : createReaderHandler)({ store, courseClaim: 'course_ids' });
      const baselineHandler = isPost ? minimalPostHandler(baseline.client, TABLE) : minimalGetHandler(baseline.client, TABLE);

      // Act
      const oursAnswer = await oursHandler(scenario.event, lambdaContext);
      const baselineAnswer = await baselineHandler(scenario.event);

      // Assert
      expect(oursAnswer.statusCode).toBe(scenario.expectedStatus);
      expect(baselineAnswer).toEqual(oursAnswer);
      expect(withoutReceivedAt(baseline.sent)).toEqual(withoutReceivedAt(ours.sent));
    },
  );
});

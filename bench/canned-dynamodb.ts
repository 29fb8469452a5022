import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** A DynamoDB JSON answer per operation, by the X-Amz-Target the SDK serialized. */
export type CannedAnswers = Partial<Record<'GetItem' | 'UpdateItem' | 'BatchWriteItem' | 'Query', string>>;

interface SignedRequest {
  headers: Record<string, string>;
}

/**
 * An SDK request handler that answers in-process instead of over HTTP. The SDK still builds, signs and
 * serializes every request and parses every answer, so both sides of the warm comparison pay the same
 * SDK cost and differ only in their own code.
 */
export function cannedRequestHandler(answers: CannedAnswers) {
  const encoder = new TextEncoder();
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: SignedRequest) {
      const operation = request.headers['x-amz-target']?.split('.')[1] as keyof CannedAnswers;
      const answer = answers[operation];
      if (answer === undefined) throw new Error(`no canned answer for ${operation}`);
      return {
        response: {
          statusCode: 200,
          headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'canned' },
          // A fresh array each time: the SDK turns the body it receives into its own blob type.
          body: encoder.encode(answer),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}

/** A document client configured as the functions' (lib/store/document-client.ts), answered by canned responses. */
export function cannedDocumentClient(answers: CannedAnswers): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    requestHandler: cannedRequestHandler(answers) as never,
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DocumentClientOptions {
  region: string;
  /** The embedded store's URL locally; unset on AWS. */
  endpoint?: string | undefined;
}

/** The embedded store checks no signature, but the SDK wants something to sign with. */
export const EMBEDDED_STORE_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function createDocumentClient({ region, endpoint }: DocumentClientOptions): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region,
    // Fail a hung call early enough to retry it, and answer 503, well inside the writer's 10 s Lambda
    // timeout: 3 attempts of at most 2 s. Without throwOnRequestTimeout the SDK only logs a warning
    // when requestTimeout passes, and waits on.
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
    ...(endpoint && { endpoint, credentials: EMBEDDED_STORE_CREDENTIALS }),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

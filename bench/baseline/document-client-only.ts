import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The bundle-size and cold-start baseline: a function that only constructs a DynamoDBDocumentClient
 * (at import, as ours does) and sends one command. Credentials come from the environment, as on
 * Lambda; DYNAMODB_ENDPOINT points it at the benchmark's dynalite.
 */
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT }));

export const handler = async () => {
  const { Item } = await client.send(
    new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'baseline', sk: 'baseline' } }),
  );
  return { statusCode: 200, body: JSON.stringify(Item ?? null) };
};

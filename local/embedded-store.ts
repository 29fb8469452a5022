import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { EMBEDDED_STORE_CREDENTIALS } from '#lib/store/document-client.ts';
import { createTableInput } from '#lib/store/table.ts';

export const LOCAL_REGION = 'local';

export interface EmbeddedStore {
  endpoint: string;
  close(): Promise<void>;
}

/** dynalite (DynamoDB on LevelDB) in this process, on a free loopback port; in memory unless given a folder. */
export async function startEmbeddedStore(dataDir?: string): Promise<EmbeddedStore> {
  const server = dynalite({ ...(dataDir && { path: dataDir }), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Creates the events table from the shared definition unless it exists, and waits until it is active. */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: EMBEDDED_STORE_CREDENTIALS,
  });
  try {
    const describe = () => client.send(new DescribeTableCommand({ TableName: tableName }));
    try {
      await describe();
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    }
    while ((await describe()).Table?.TableStatus !== 'ACTIVE') await new Promise((resolve) => setImmediate(resolve));
  } finally {
    client.destroy();
  }
}

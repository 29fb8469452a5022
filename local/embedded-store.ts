import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { Level } from 'level';
import { EMBEDDED_STORE_CREDENTIALS } from '#lib/store/document-client.ts';
import { createTableInput } from '#lib/store/table.ts';

export const LOCAL_REGION = 'local';

export interface EmbeddedStore {
  endpoint: string;
  close(): Promise<void>;
}

/** The LevelDB store in a folder cannot be opened: another process holds it, or it is damaged. */
export class StoreOpenError extends Error {
  override name = 'StoreOpenError';

  constructor(
    readonly dataDir: string,
    /** LevelDB's lock is held: another process has the store open. */
    readonly locked: boolean,
    options: ErrorOptions,
  ) {
    super(`The store in ${dataDir} cannot be opened${locked ? ': another process holds it' : ''}`, options);
  }
}

/** Why LevelDB could not open the folder, or undefined once it has opened and closed it again. */
async function openFailure(dataDir: string, createIfMissing: boolean): Promise<{ code?: string } | undefined> {
  const db = new Level(dataDir, { createIfMissing });
  try {
    await db.open();
    return undefined;
  } catch (error) {
    return ((error as Error).cause ?? error) as { code?: string };
  } finally {
    await db.close();
  }
}

/** Whether another process has the store in `dataDir` open. */
export async function storeIsLocked(dataDir: string): Promise<boolean> {
  return (await openFailure(dataDir, false))?.code === 'LEVEL_LOCKED';
}

/**
 * dynalite (DynamoDB on LevelDB) in this process, on a free loopback port; in memory unless given a
 * folder. Throws StoreOpenError when the folder's store cannot be opened.
 */
export async function startEmbeddedStore(dataDir?: string): Promise<EmbeddedStore> {
  if (dataDir) {
    // dynalite reports a store that fails to open only as "Database is closed", thrown from inside its
    // request handler: opened here first, the failure keeps its cause.
    const failure = await openFailure(dataDir, true);
    if (failure) throw new StoreOpenError(dataDir, failure.code === 'LEVEL_LOCKED', { cause: failure });
  }
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

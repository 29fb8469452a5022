import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable, LOCAL_REGION, startEmbeddedStore } from '#local/embedded-store.ts';
import { defaultBatchWritePolicy, type BatchWritePolicy } from '#lib/store/batch-write.ts';
import { createDocumentClient } from '#lib/store/document-client.ts';
import type { EventStore } from '#lib/domain/event-store.ts';
import { createDynamoDbEventStore } from '#lib/store/dynamodb-event-store.ts';

export const TEST_TABLE = 'quiz-submission-events-test';

export interface TestStore {
  endpoint: string;
  client: DynamoDBDocumentClient;
  store: EventStore;
  /** DynamoDB operations (GetItem, Query, …) sent since the last reset, in order. */
  calls: string[];
  close(): Promise<void>;
}

/** A real DynamoDB implementation (dynalite, in memory) with the events table, and a store over it. */
export async function startTestStore(options: { batchWritePolicy?: BatchWritePolicy; retentionDays?: number } = {}): Promise<TestStore> {
  const embedded = await startEmbeddedStore();
  await ensureTable(embedded.endpoint, TEST_TABLE);
  const client = createDocumentClient({ region: LOCAL_REGION, endpoint: embedded.endpoint });
  const calls: string[] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      calls.push((context.commandName as string).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  const store = createDynamoDbEventStore({
    client,
    tableName: TEST_TABLE,
    retentionDays: options.retentionDays ?? 0,
    batchWritePolicy: options.batchWritePolicy ?? { ...defaultBatchWritePolicy, sleep: async () => {} },
  });
  return {
    endpoint: embedded.endpoint,
    client,
    store,
    calls,
    async close() {
      client.destroy();
      await embedded.close();
    },
  };
}

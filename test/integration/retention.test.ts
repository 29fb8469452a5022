import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptPartitionKey, PARTITION_KEY, SORT_KEY, SUBMISSION_SORT_KEY, submissionPartitionKey, TTL_ATTRIBUTE } from '#lib/store/table.ts';
import { handlersOver } from '../support/handlers.ts';
import { distinctEvents, submission } from '../support/http-events.ts';
import { startTestStore, TEST_TABLE, type TestStore } from '../support/test-store.ts';

const DAY_SECONDS = 86_400;

async function storedItems(db: TestStore, path: ReturnType<typeof submission>) {
  const { Items = [] } = await db.client.send(
    new QueryCommand({
      TableName: TEST_TABLE,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PARTITION_KEY },
      ExpressionAttributeValues: { ':pk': attemptPartitionKey({ ...path, attempt: 1 }) },
    }),
  );
  const { Item } = await db.client.send(
    new GetCommand({ TableName: TEST_TABLE, Key: { [PARTITION_KEY]: submissionPartitionKey(path), [SORT_KEY]: SUBMISSION_SORT_KEY } }),
  );
  return { events: Items, submission: Item! };
}

describe('retention', () => {
  let kept: TestStore;
  let expiring: TestStore;
  beforeAll(async () => {
    [kept, expiring] = await Promise.all([startTestStore(), startTestStore({ retentionDays: 30 })]);
  });
  afterAll(() => Promise.all([kept.close(), expiring.close()]));

  it('writes no TTL at all by default: nothing is ever deleted unless the operator asks', async () => {
    const path = submission('kept');
    await handlersOver(kept.store).post(path, distinctEvents(3));
    const items = await storedItems(kept, path);
    expect(items.events).toHaveLength(3);
    for (const item of [...items.events, items.submission]) expect(item[TTL_ATTRIBUTE]).toBeUndefined();
  });

  it('with retentionDays, gives each event a TTL that many days after it was written, and never the submission item', async () => {
    const path = submission('expiring');
    const before = Math.floor(Date.now() / 1000);
    await handlersOver(expiring.store).post(path, distinctEvents(3));
    const after = Math.floor(Date.now() / 1000);
    const items = await storedItems(expiring, path);
    for (const item of items.events) {
      expect(item[TTL_ATTRIBUTE]).toBeGreaterThanOrEqual(before + 30 * DAY_SECONDS);
      expect(item[TTL_ATTRIBUTE]).toBeLessThanOrEqual(after + 30 * DAY_SECONDS);
    }
    expect(items.submission[TTL_ATTRIBUTE]).toBeUndefined();
  });
});

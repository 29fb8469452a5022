import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBatchWritePolicy } from '#lib/store/batch-write.ts';
import { leaveUnprocessed } from '../support/fault-injection.ts';
import { handlersOver } from '../support/handlers.ts';
import { distinctEvents, submission } from '../support/http-events.ts';
import { startTestStore, type TestStore } from '../support/test-store.ts';

describe('UnprocessedItems', () => {
  let db: TestStore;
  const delays: number[] = [];
  beforeAll(async () => {
    db = await startTestStore({
      batchWritePolicy: { ...defaultBatchWritePolicy, concurrency: 1, random: () => 1, sleep: async (ms) => void delays.push(ms) },
    });
  });
  afterAll(() => db.close());

  it('retries what DynamoDB left unprocessed, with exponential backoff, until all is stored', async () => {
    leaveUnprocessed(db.client, { times: 3, keep: 5 });
    const api = handlersOver(db.store);
    const path = submission('partial');
    expect((await api.post(path, distinctEvents(25))).status).toBe(204);
    expect(delays).toEqual([50, 100, 200]);
    const { pages } = await api.walk(path, 'per_page=100');
    expect(pages.flat()).toHaveLength(25);
    expect(db.calls.filter((name) => name === 'BatchWriteItem')).toHaveLength(4);
  });
});

describe('a store that keeps throttling', () => {
  it('answers 503 with Retry-After once the retries are spent, and a later resend stores every event once', async () => {
    const db = await startTestStore({ batchWritePolicy: { ...defaultBatchWritePolicy, maxRetries: 3, sleep: async () => {} } });
    try {
      leaveUnprocessed(db.client, { times: 4, keep: 0 });
      const api = handlersOver(db.store);
      const path = submission('throttled');
      const batch = distinctEvents(10);
      const refused = await api.post(path, batch);
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.json.errors[0].message).not.toMatch(/Exception|aws/i);
      expect((await api.post(path, batch)).status).toBe(204);
      expect((await api.walk(path, 'per_page=100')).pages.flat()).toHaveLength(10);
    } finally {
      await db.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBatchWritePolicy } from '#lib/store/batch-write.ts';
import { handlersOver } from '../support/handlers.ts';
import { distinctEvents, submission } from '../support/http-events.ts';
import { startTestStore, type TestStore } from '../support/test-store.ts';

/**
 * Leaves some of each BatchWriteItem's items unprocessed (without writing them), as DynamoDB does
 * under throttling, for the first `times` calls.
 */
function leaveUnprocessed(db: TestStore, { times, keep }: { times: number; keep: number }) {
  let calls = 0;
  db.client.middlewareStack.add(
    (next) => async (args) => {
      if (!(args.input as { RequestItems?: unknown }).RequestItems || calls++ >= times) return next(args);
      const input = args.input as { RequestItems: Record<string, unknown[]> };
      const [table, requests] = Object.entries(input.RequestItems)[0]!;
      const written = requests.slice(0, keep);
      const unprocessed = requests.slice(keep);
      const output = written.length
        ? await next({ ...args, input: { RequestItems: { [table]: written } } })
        : { output: { $metadata: {} }, response: {} };
      return { ...output, output: { ...(output.output as object), UnprocessedItems: unprocessed.length ? { [table]: unprocessed } : {} } } as never;
    },
    { step: 'initialize', name: 'leaveUnprocessed', priority: 'low' },
  );
}

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
    leaveUnprocessed(db, { times: 3, keep: 5 });
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
      leaveUnprocessed(db, { times: 4, keep: 0 });
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

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validBatch } from '../support/arbitraries.ts';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { attemptPartitionKey } from '#lib/store/table.ts';
import { handlersOver, parseLinks, type ReturnedEvent } from '../support/handlers.ts';
import { type ClientEvent, submission } from '../support/http-events.ts';
import { storedItems } from '../support/event-items.ts';
import { eventsFillingOneQuery, QUERY_LIMIT_BYTES, queryBytes } from '../support/one-megabyte-query.ts';
import { reconcile } from '../support/quiz-client.ts';
import { startTestStore, TEST_TABLE, type TestStore } from '../support/test-store.ts';

/** Lambda refuses to return a larger answer; API Gateway then answers 5xx. */
const LAMBDA_MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

let db: TestStore;
let api: ReturnType<typeof handlersOver>;
let n = 0;
const fresh = () => submission(`paging-${++n}`);

beforeAll(async () => {
  db = await startTestStore();
  api = handlersOver(db.store);
});
afterAll(() => db.close());

/** Sizes of the pages `count` events make: full pages, then the rest (if any). */
const pageSizes = (count: number, size: number): number[] =>
  Array.from({ length: Math.ceil(count / size) }, (_, i) => Math.min(size, count - i * size));

/**
 * Walks every page at one page size. Every page is full but the last, and the last has no
 * rel="next": when the count is a multiple of the page size, a `next` on the last full page would
 * lead to an extra, empty page.
 */
async function walk(path: ReturnType<typeof fresh>, perPage: number): Promise<ReturnedEvent[]> {
  const { pages } = await api.walk(path, `per_page=${perPage}`);
  const events = pages.flat();
  expect(pages.map((page) => page.length)).toEqual(pageSizes(events.length, Math.min(100, Math.max(1, perPage))));
  return events;
}

/** The page sizes (1 to 100) that divide `count` exactly. */
const exactPageSizes = (count: number): number[] =>
  Array.from({ length: Math.min(100, count) }, (_, i) => i + 1).filter((size) => count % size === 0);

describe('walking all pages', () => {
  it('returns exactly what was stored, in created_at order, the same at every page size, ending on the last full page', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(validBatch({ maxLength: 25 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: -5, max: 130 }),
        fc.integer({ min: 1, max: 100 }),
        fc.nat(),
        async (batches, perPage, otherPerPage, pick) => {
          // Arrange: each batch posted, then all resent, as a client does after a lost answer.
          const path = fresh();
          for (const batch of [...batches, ...batches]) expect((await api.post(path, batch)).status).toBe(204);
          // Act
          const walked = await walk(path, perPage);
          // Assert
          expect(reconcile(batches.flat(), walked)).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
          expect(new Set(walked.map((event) => event.id)).size).toBe(walked.length);
          const times = walked.map((event) => event.created_at);
          expect(times).toEqual([...times].sort());
          expect(await walk(path, otherPerPage)).toEqual(walked);
          const divisors = exactPageSizes(walked.length);
          expect(await walk(path, divisors[pick % divisors.length]!)).toEqual(walked);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('returns every event when DynamoDB cuts a Query at 1 MB, in answers Lambda can return', async () => {
    // Arrange: 40 events of 60 KB; DynamoDB returns about 17 of them per Query.
    const path = fresh();
    const large: ClientEvent[] = Array.from({ length: 40 }, (_, i) => ({
      client_timestamp: new Date(Date.parse('2014-10-08T19:00:00Z') + i * 1000).toISOString(),
      event_type: 'question_answered',
      event_data: { answer: `${i}`.padEnd(60_000, '.') },
    }));
    for (let i = 0; i < large.length; i += 15) expect((await api.post(path, large.slice(i, i + 15))).status).toBe(204);
    for (const perPage of [100, 20]) {
      // Act
      const { pages } = await api.walk(path, `per_page=${perPage}`);
      // Assert
      expect(reconcile(large, pages.flat())).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
      for (const page of pages) expect(Buffer.byteLength(JSON.stringify(page))).toBeLessThan(LAMBDA_MAX_RESPONSE_BYTES);
    }
  });

  it('ends cleanly when DynamoDB cuts a Query at 1 MB exactly on the last event: every event once, no loop', async () => {
    // Arrange: 20 events whose items add up to exactly 1 MB, posted in two batches.
    const path = fresh();
    const attempt = { ...path, attempt: 1 };
    const events = eventsFillingOneQuery(attempt, 20);
    for (const half of [events.slice(0, 10), events.slice(10)]) expect((await api.post(path, half)).status).toBe(204);
    // The edge is real: a Query from the first event reads all 20 and still reports a LastEvaluatedKey.
    expect((await storedItems(db.client, attempt)).reduce((sum, item) => sum + queryBytes(item), 0)).toBe(QUERY_LIMIT_BYTES);
    const query = await db.client.send(
      new QueryCommand({ TableName: TEST_TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': attemptPartitionKey(attempt) }, Limit: 101 }),
    );
    expect(query.Items).toHaveLength(20);
    expect(query.LastEvaluatedKey).toBeDefined();
    for (const [perPage, sizes] of [[100, [20, 0]], [20, [20, 0]], [19, [19, 1]], [7, [7, 7, 6]]] as const) {
      // Act
      db.calls.length = 0;
      const { pages, links } = await api.walk(path, `attempt=1&per_page=${perPage}`);
      // Assert: the page that holds the last event links on; the page after it is empty and ends the walk.
      expect(reconcile(events, pages.flat())).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
      expect(pages.map((page) => page.length)).toEqual(sizes);
      expect(parseLinks(links.at(-1)).next).toBeUndefined();
      expect(db.calls).toEqual(sizes.map(() => 'Query'));
    }
  });
});

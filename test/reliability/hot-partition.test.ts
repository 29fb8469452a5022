import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, MAX_EVENTS_PER_BATCH } from '#lib/domain/limits.ts';
import { defaultBatchWritePolicy } from '#lib/store/batch-write.ts';
import { createDynamoDbEventStore } from '#lib/store/dynamodb-event-store.ts';
import { costliestBatch, numberExpandingBatch } from '../support/costly-batches.ts';
import { storedItems } from '../support/event-items.ts';
import { WRITE_OPERATIONS } from '../support/fault-injection.ts';
import { handlersOver } from '../support/handlers.ts';
import { type HotPartitionOptions, throttleLikeAHotPartition } from '../support/hot-partition.ts';
import { submission, type SubmissionPath } from '../support/http-events.ts';
import { readThrough, sendThrough } from '../support/in-process-client.ts';
import { QuizClient, reconcile, seededRandom } from '../support/quiz-client.ts';
import { startTestStore, TEST_TABLE, type TestStore } from '../support/test-store.ts';
import { VirtualClock } from '../support/virtual-clock.ts';
import { writeUnits } from '../support/write-units.ts';

/**
 * All of an attempt's events live in one partition, and one partition takes about 1,000 write units a
 * second. Neither emulator models that limit; test/support/hot-partition.ts does, on a virtual clock
 * that the writer's backoff runs on too. The analysis is in docs/reliability.md.
 */

const BUDGET_MS = defaultBatchWritePolicy.budgetMs;
const CLIENT_CLOCK = Date.parse('2014-10-08T19:00:00.000Z');

let db: TestStore;
let n = 0;
/** Ids as long as Canvas's numeric ones. */
const canvasIds = () => submission(`${9_876_500 + ++n}`, '1234567', '7654321');
/** The longest ids the API accepts: every item's key is as large as it can be. */
const longestIds = () => submission(`${++n}`.padStart(128, 's'), 'c'.repeat(128), 'q'.repeat(128));
const firstAttempt = (path: SubmissionPath) => ({ ...path, attempt: 1 });
const costliest = (path: SubmissionPath) => costliestBatch(firstAttempt(path), { count: MAX_EVENTS_PER_BATCH, maxBodyBytes: MAX_BODY_BYTES });
const exactlyOnce = (sent: number) => ({ sent, stored: sent, lost: 0, duplicated: 0, unexpected: 0 });
const tally: string[] = [];

beforeAll(async () => {
  db = await startTestStore();
});
afterAll(async () => {
  console.log(`[reliability] hot partition: ${tally.join('; ')}`);
  await db.close();
});

async function unitsStored(path: SubmissionPath): Promise<number> {
  return (await storedItems(db.client, firstAttempt(path))).reduce((units, item) => units + writeUnits(item), 0);
}

/** The handlers over a writer whose backoff sleeps on a virtual clock, above one hot partition on that clock. */
function onHotPartition(seed: number, partition: Omit<HotPartitionOptions, 'clock' | 'random'> = {}) {
  const clock = new VirtualClock();
  const store = createDynamoDbEventStore({
    client: db.client,
    tableName: TEST_TABLE,
    retentionDays: 0,
    batchWritePolicy: { ...defaultBatchWritePolicy, sleep: clock.sleep, now: clock.now, random: seededRandom(seed) },
  });
  const hot = throttleLikeAHotPartition(db.client, { clock, random: seededRandom(seed + 1_000), ...partition });
  return { clock, api: handlersOver(store), hot };
}

describe('what a batch costs in write units', () => {
  it.each([
    ['Canvas-like ids', 2_100, 2_200, canvasIds],
    ['128-character ids', 2_450, 2_550, longestIds],
  ])('1,000 events in a 1 MiB body, each item just past a KB boundary, with %s: %i to %i units', async (name, low, high, ids) => {
    // Arrange
    const path = ids();
    const batch = costliest(path);
    expect(Buffer.byteLength(batch.body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    // Act
    const answer = await handlersOver(db.store).postRaw(path, { body: batch.body });
    // Assert
    expect(answer.status).toBe(204);
    const units = await unitsStored(path);
    expect(units).toBeGreaterThanOrEqual(low);
    expect(units).toBeLessThanOrEqual(high);
    tally.push(`costliest batch ${units} units (${name})`);
  });

  it.each([
    // 1,000 events of 1e20s filling the body: 4.4 MB of event_data as stored.
    ['its event_data', {}],
    // 255-character types (255 KB) and 900 KB of event_data as stored: only together over the limit.
    ['its event types and event_data together', { eventType: 'x'.repeat(255), elements: 41 }],
  ])('refuses a batch whose numbers, written out, make %s store more than the body limit: 400, nothing written', async (_, shape) => {
    // Arrange: arrays of 1e20, 5 bytes each as sent, 22 as stored (100000000000000000000,).
    const batch = numberExpandingBatch({ count: MAX_EVENTS_PER_BATCH, maxBodyBytes: MAX_BODY_BYTES, ...shape });
    db.calls.length = 0;
    // Act
    const answer = await handlersOver(db.store).postRaw(canvasIds(), { body: batch.body });
    // Assert
    expect(answer.status).toBe(400);
    expect(answer.json.errors[0].field).toBe('quiz_submission_events');
    expect(db.calls.filter((operation) => WRITE_OPERATIONS.has(operation))).toEqual([]);
  });

  it('keeps numbers written out when the batch stays within the limit', async () => {
    const path = canvasIds();
    const batch = numberExpandingBatch({ count: 100, maxBodyBytes: 200 * 1024 });
    expect((await handlersOver(db.store).postRaw(path, { body: batch.body })).status).toBe(204);
    expect(reconcile(batch.events, await readThrough(handlersOver(db.store), path))).toEqual(exactlyOnce(100));
  });
});

describe('one partition at 1,000 write units a second', () => {
  it('stores the costliest batch in one request, though most items come back unprocessed round after round', async () => {
    // Arrange
    const path = longestIds();
    const batch = costliest(path);
    const { clock, api, hot } = onHotPartition(1);
    try {
      // Act
      const answer = await api.postRaw(path, { body: batch.body });
      // Assert: within the budget, every item written once.
      expect(answer.status).toBe(204);
      expect(clock.now()).toBeLessThanOrEqual(BUDGET_MS);
      const firstRounds = hot.rounds.slice(0, 12);
      const handedBack = firstRounds.reduce((sum, { items, written }) => sum + items - written, 0);
      expect(handedBack / firstRounds.reduce((sum, { items }) => sum + items, 0)).toBeGreaterThan(0.5);
      expect(hot.itemsWritten).toBe(MAX_EVENTS_PER_BATCH);
      tally.push(
        `costliest batch (${hot.unitsWritten} units) stored in ${(clock.now() / 1000).toFixed(2)} s, ` +
          `${hot.calls} batch writes, ${hot.unprocessedItems} items handed back (${handedBack} of ${firstRounds.length * 25} in the first ${firstRounds.length}), ` +
          `${hot.throttledCalls} calls that wrote nothing`,
      );
    } finally {
      hot.stop();
    }
    expect(reconcile(batch.events, await readThrough(handlersOver(db.store), path))).toEqual(exactlyOnce(MAX_EVENTS_PER_BATCH));
  });

  it("kept busy by other writes for 6 s: 503 with Retry-After, and the client's resends converge with every event once", async () => {
    // Arrange: a quiz client holding 1,000 events of about 1 KB, which the partition gives 100 units a second at first.
    const path = canvasIds();
    const { clock, api, hot } = onHotPartition(2, { unitsPerSecond: (nowMs) => (nowMs < 6_000 ? 100 : 1_000) });
    const client = new QuizClient({ name: path.submissionId, random: seededRandom(2), clockMs: CLIENT_CLOCK, padding: 850, send: sendThrough(api, path) });
    client.record(MAX_EVENTS_PER_BATCH);
    try {
      // Act: resend the whole buffer, after Retry-After, until 204.
      for (let request = 0; request < 6 && client.pending.length > 0; request++) {
        const outcome = await client.flush();
        if (outcome.status !== 204) await clock.sleep(Number(outcome.status === 503 ? outcome.retryAfter : 1) * 1000);
      }
      // Assert
      expect(client.outcomes[0]).toEqual({ status: 503, retryAfter: '1' });
      expect(client.pending).toEqual([]);
      tally.push(
        `partition busy for 6 s: ${client.outcomes.length} POSTs (${client.outcomes.map((outcome) => outcome.status).join(', ')}), ` +
          `stored by ${(clock.now() / 1000).toFixed(2)} s, ${hot.unitsWritten} units written for ${await unitsStored(path)} stored`,
      );
    } finally {
      hot.stop();
    }
    expect(reconcile(client.generated, await readThrough(handlersOver(db.store), path))).toEqual(exactlyOnce(MAX_EVENTS_PER_BATCH));
  });

  it('a batch costing more than one request can write at the partition rate is never stored, however often it is resent', async () => {
    // Arrange: 200 events of 2 units; a partition that gives 60 units a second writes about 300 within the budget.
    const path = canvasIds();
    const batch = costliestBatch(firstAttempt(path), { count: 200, maxBodyBytes: 200 * 1024 });
    const { clock, api, hot } = onHotPartition(3, { unitsPerSecond: 60, burstUnits: 60 });
    const statuses: number[] = [];
    try {
      // Act
      for (let request = 0; request < 4; request++) {
        statuses.push((await api.postRaw(path, { body: batch.body })).status);
        await clock.sleep(1_000);
      }
    } finally {
      hot.stop();
    }
    // Assert: each resend writes again what the one before wrote, and stops about as far.
    expect(statuses).toEqual([503, 503, 503, 503]);
    const stored = await unitsStored(path);
    expect(stored).toBeLessThan(400);
    expect(hot.unitsWritten).toBeGreaterThan(2 * stored);
    tally.push(`over budget: 4 POSTs, all 503, ${hot.unitsWritten} units written for ${stored} stored`);
  });
});

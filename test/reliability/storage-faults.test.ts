import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type BatchWritePolicy, defaultBatchWritePolicy } from '#lib/store/batch-write.ts';
import { type Fault, type FaultPlan, injectFaults } from '../support/fault-injection.ts';
import { handlersOver } from '../support/handlers.ts';
import { submission, type SubmissionPath } from '../support/http-events.ts';
import { readThrough, sendThrough } from '../support/in-process-client.ts';
import { type PostOutcome, QuizClient, reconcile, type Reconciliation, seededRandom, sumReconciliations } from '../support/quiz-client.ts';
import { startTestStore, type TestStore } from '../support/test-store.ts';

/**
 * Faults injected into the DynamoDB client under the handlers: whatever fails, a client that resends
 * its buffer until it gets 204 ends with every event stored exactly once, and every failure it saw was
 * a 503 with Retry-After (or a crashed process).
 */

const noWait: BatchWritePolicy = { ...defaultBatchWritePolicy, sleep: async () => {}, random: seededRandom(7) };
const EVENTS = 100; // four BatchWriteItem calls
const CLIENT_CLOCK = Date.parse('2014-10-08T19:00:00.000Z');

let n = 0;
const fresh = (): SubmissionPath => submission(`faults-${++n}`);
const tally = { runs: 0, posts: 0, faults: 0, answered503: 0, answered500: 0, results: [] as Reconciliation[] };

interface Run {
  client: QuizClient;
  path: SubmissionPath;
  first: PostOutcome;
  storedAfterFirst: number;
}

/**
 * One quiz client posts `events` events through the handlers of a store whose client has `plan`
 * injected, then resends until it gets 204. Each request runs on a fresh process: a crash does not
 * outlive the request it happened in.
 */
async function resendUntilStored(db: TestStore, plan: FaultPlan, { events = EVENTS, seed = 1 } = {}): Promise<Run> {
  const faults = injectFaults(db.client, plan);
  try {
    const api = handlersOver(db.store);
    const path = fresh();
    const send = sendThrough(api, path);
    const client = new QuizClient({
      name: path.submissionId,
      random: seededRandom(seed),
      clockMs: CLIENT_CLOCK,
      repeatRate: 0.05,
      send: async (body) => {
        faults.revive();
        return send(body);
      },
    });
    client.record(events);
    const first = await client.flush();
    const storedAfterFirst = await faults.suspended(() => countStored(api, path));
    // The plan goes on through the resends, until it runs dry.
    await client.drain(30);
    tally.runs++;
    tally.posts += client.outcomes.length;
    tally.faults += faults.total;
    tally.answered503 += client.outcomes.filter((outcome) => outcome.status === 503).length;
    tally.answered500 += client.outcomes.filter((outcome) => outcome.status === 500).length;
    return { client, path, first, storedAfterFirst };
  } finally {
    faults.stop();
  }
}

async function countStored(api: ReturnType<typeof handlersOver>, path: SubmissionPath): Promise<number> {
  const read = await api.get(path, 'per_page=100');
  return read.status === 404 ? 0 : (await readThrough(api, path)).length;
}

async function expectStoredExactlyOnce(db: TestStore, client: QuizClient, path: SubmissionPath) {
  expect(client.pending).toEqual([]);
  const stored = await readThrough(handlersOver(db.store), path);
  tally.results.push(reconcile(client.generated, stored));
  expect(reconcile(client.generated, stored)).toEqual({ sent: client.generated.length, stored: client.generated.length, lost: 0, duplicated: 0, unexpected: 0 });
}

/** Every answer short of 204 that a client saw is one it can act on: 503 with Retry-After, or no answer. */
function expectOnlyRetryableFailures(outcomes: readonly PostOutcome[], { crashes = false } = {}) {
  for (const outcome of outcomes) {
    if (outcome.status === 204 || outcome.status === 'no-answer') continue;
    if (crashes && outcome.status === 500) continue;
    expect(outcome).toEqual({ status: 503, retryAfter: '1' });
  }
}

const onBatchWrite = (k: number, fault: Fault): FaultPlan => (call) =>
  call.operation === 'BatchWriteItem' && call.nth === k ? fault : undefined;

let db: TestStore;
beforeAll(async () => {
  db = await startTestStore({ batchWritePolicy: noWait });
});
afterAll(async () => {
  const totals = sumReconciliations(tally.results);
  console.log(
    `[reliability] storage faults: ${tally.runs} clients, ${tally.posts} POSTs, ${tally.faults} faults injected ` +
      `(${tally.answered503} answered 503, ${tally.answered500} answered 500 by a crashed process); ` +
      `events sent ${totals.sent}, stored ${totals.stored}, lost ${totals.lost}, duplicated ${totals.duplicated}`,
  );
  await db.close();
});

describe('one fault during a 100-event POST (the second of four batch writes)', () => {
  it.each<[string, Fault]>([
    ['ProvisionedThroughputExceededException', { kind: 'throughput-exceeded' }],
    ['ThrottlingException', { kind: 'throttling' }],
    ['InternalServerError (HTTP 500 from DynamoDB)', { kind: 'server-error' }],
    ['a timeout before the write', { kind: 'timeout' }],
    ['a timeout after DynamoDB applied the write', { kind: 'timeout', afterWrite: true }],
    ['a dropped connection', { kind: 'connection-reset' }],
  ])('%s: 503 with Retry-After, and the resend stores every event once', async (_, fault) => {
    const { client, path, first } = await resendUntilStored(db, onBatchWrite(1, fault));
    expect(first).toEqual({ status: 503, retryAfter: '1' });
    expectOnlyRetryableFailures(client.outcomes);
    await expectStoredExactlyOnce(db, client, path);
  });

  it('the 503 body is Canvas-shaped and names no AWS error', async () => {
    const faults = injectFaults(db.client, onBatchWrite(0, { kind: 'throughput-exceeded' }));
    try {
      const answer = await handlersOver(db.store).postRaw(fresh(), { body: JSON.stringify({ quiz_submission_events: [{ event_type: 't' }] }) });
      expect(answer.status).toBe(503);
      expect(answer.json).toEqual({ errors: [{ message: expect.any(String) }] });
      expect(answer.body).not.toMatch(/Exception|injected|aws|dynamo/i);
    } finally {
      faults.stop();
    }
  });
});

describe('faults on the submission item, before any event is written', () => {
  it.each<[string, Fault]>([
    ['throttled', { kind: 'throughput-exceeded' }],
    ['failing with HTTP 500', { kind: 'server-error' }],
    ['timing out', { kind: 'timeout' }],
  ])('an UpdateItem %s: 503, nothing written, and the resend stores every event once', async (_, fault) => {
    const { client, path, first, storedAfterFirst } = await resendUntilStored(db, (call) =>
      call.operation === 'UpdateItem' && call.nth === 0 ? fault : undefined,
    );
    expect(first.status).toBe(503);
    expect(storedAfterFirst).toBe(0);
    await expectStoredExactlyOnce(db, client, path);
  });
});

describe('UnprocessedItems', () => {
  it('partial, on every batch write for a while: retried within the request, 204, each event once', async () => {
    const { client, path, first } = await resendUntilStored(db, (call) =>
      call.operation === 'BatchWriteItem' && call.nth < 12 ? { kind: 'unprocessed', keep: 7 } : undefined,
    );
    expect(first.status).toBe(204);
    await expectStoredExactlyOnce(db, client, path);
  });

  it('total, for fewer calls than the retries allow: still 204 within the request', async () => {
    const { client, path, first } = await resendUntilStored(db, (call) =>
      call.operation === 'BatchWriteItem' && call.nth < 5 ? { kind: 'unprocessed', keep: 0 } : undefined,
    );
    expect(first.status).toBe(204);
    await expectStoredExactlyOnce(db, client, path);
  });

  it('total, past the retries: 503 with Retry-After, and the resend stores every event once', async () => {
    const { client, path, first } = await resendUntilStored(db, (call) =>
      call.operation === 'BatchWriteItem' && call.nth < 100 ? { kind: 'unprocessed', keep: 0 } : undefined,
    );
    expect(first).toEqual({ status: 503, retryAfter: '1' });
    expectOnlyRetryableFailures(client.outcomes);
    await expectStoredExactlyOnce(db, client, path);
  });
});

describe('a crash after k of m batch writes', () => {
  const m = EVENTS / 25;
  it.each(Array.from({ length: m + 1 }, (_, k) => k))(
    'k = %i of 4: what was written stays, and the resend completes the batch with every event once',
    async (k) => {
      // Every batch write after the k-th dies with the process; DynamoDB has applied the first k.
      const { client, path, first, storedAfterFirst } = await resendUntilStored(db, (call) =>
        call.operation === 'BatchWriteItem' && call.nth === k ? { kind: 'crash' } : undefined,
      );
      if (k < m) {
        expect(first.status).toBe(500);
        expect(storedAfterFirst).toBeLessThan(EVENTS);
      } else {
        expect(first.status).toBe(204);
      }
      await expectStoredExactlyOnce(db, client, path);
    },
  );

  it('a crash after every write but before the answer: the client resends, nothing is stored twice', async () => {
    const api = handlersOver(db.store);
    const path = fresh();
    const client = new QuizClient({ name: 'lost-answer', random: () => 0, clockMs: CLIENT_CLOCK, lostAnswerRate: 1, send: sendThrough(api, path) });
    client.record(EVENTS);
    for (let i = 0; i < 3; i++) expect((await client.flush()).status).toBe('no-answer');
    expect(reconcile(client.generated, await readThrough(api, path))).toMatchObject({ lost: 0, duplicated: 0 });
  });
});

describe('any schedule of faults', () => {
  const fault: fc.Arbitrary<Fault | undefined> = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 6 },
    fc.constantFrom<Fault>(
      { kind: 'throughput-exceeded' },
      { kind: 'throttling' },
      { kind: 'server-error' },
      { kind: 'timeout' },
      { kind: 'timeout', afterWrite: true },
      { kind: 'connection-reset' },
      { kind: 'unprocessed', keep: 0 },
      { kind: 'crash' },
    ),
    fc.integer({ min: 1, max: 24 }).map((keep): Fault => ({ kind: 'unprocessed', keep })),
  );

  it('leaves every event a resending client sent stored exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fault, { maxLength: 30 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer(),
        async (schedule, events, seed) => {
          let next = 0;
          // The schedule applies to successive calls of every kind, and runs dry: the store recovers.
          const { client, path } = await resendUntilStored(db, () => schedule[next++], { events, seed });
          expectOnlyRetryableFailures(client.outcomes, { crashes: true });
          await expectStoredExactlyOnce(db, client, path);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('the time budget of the writer', () => {
  let clock = 0;
  let random = seededRandom(0);
  afterEach(() => vi.restoreAllMocks());

  /** A store whose only clock is the backoff: time passes when, and only when, the writer sleeps. */
  async function storeOnFakeClock(policy: Partial<BatchWritePolicy>) {
    clock = Date.now();
    vi.spyOn(Date, 'now').mockImplementation(() => clock);
    const delays: number[] = [];
    const store = await startTestStore({
      batchWritePolicy: {
        ...defaultBatchWritePolicy,
        random: () => random(),
        ...policy,
        sleep: async (ms) => {
          delays.push(ms);
          clock += ms;
        },
      },
    });
    injectFaults(store.client, (call) => (call.operation === 'BatchWriteItem' ? { kind: 'unprocessed', keep: 0 } : undefined));
    return { store, delays };
  }

  const post = (store: TestStore, events: number) =>
    handlersOver(store.store).postRaw(fresh(), {
      body: JSON.stringify({ quiz_submission_events: Array.from({ length: events }, (_, i) => ({ event_type: `t${i}` })) }),
    });

  it(`gives up with 503 once the next backoff would pass ${defaultBatchWritePolicy.budgetMs} ms, even with retries left`, async () => {
    // Arrange: the slowest jitter, and a store that never processes anything.
    const { store, delays } = await storeOnFakeClock({ concurrency: 1, random: () => 1 });
    try {
      const started = clock;
      // Act
      const answer = await post(store, 1);
      // Assert
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('1');
      expect(delays).toEqual([50, 100, 200, 400, 800, 1000, 1000]);
      expect(delays.length).toBeLessThan(defaultBatchWritePolicy.maxRetries);
      expect(clock - started).toBeLessThanOrEqual(defaultBatchWritePolicy.budgetMs);
    } finally {
      await store.close();
    }
  });

  it('never sleeps past the budget nor retries past maxRetries, whatever the jitter and the number of batches', async () => {
    const { store, delays } = await storeOnFakeClock({});
    try {
      await fc.assert(
        fc.asyncProperty(fc.integer(), fc.integer({ min: 1, max: 200 }), async (seed, events) => {
          random = seededRandom(seed);
          delays.length = 0;
          const started = clock;
          expect((await post(store, events)).status).toBe(503);
          expect(clock - started).toBeLessThanOrEqual(defaultBatchWritePolicy.budgetMs);
          expect(delays.length).toBeLessThanOrEqual(Math.ceil(events / 25) * defaultBatchWritePolicy.maxRetries);
        }),
        { numRuns: 15 },
      );
    } finally {
      await store.close();
    }
  });
});

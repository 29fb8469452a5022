import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { TIMEOUT_MARGIN_MS } from '#lib/domain/limits.ts';
import { StorageBusyError } from '#lib/domain/errors.ts';
import { NO_FILTERS } from '#lib/domain/event-filters.ts';
import { readEvents } from '#lib/domain/read-events.ts';
import { recordEvents } from '#lib/domain/record-events.ts';
import { postBodySchema } from '#lib/domain/schemas.ts';
import { useHandlersOnTestStore } from '../support/handlers.ts';
import { batchBody, distinctEvents, httpEvent } from '../support/http-events.ts';
import { DEFAULT_COURSE_CLAIM } from '#lib/auth/list-claim.ts';
import { createWriterHandler } from '#lib/handlers/writer.ts';

const harness = useHandlersOnTestStore('budget');
const caller = { subject: 'student-1', courseIds: ['*'] };
const batch = (n: number) => postBodySchema.parse({ quiz_submission_events: distinctEvents(n) }).quiz_submission_events;

describe("a request's time", () => {
  it(`is answered 503 ${TIMEOUT_MARGIN_MS} ms before the Lambda timeout when the store has not answered`, async () => {
    // Arrange: the batch write never answers; the Lambda has the margin and 20 ms left.
    const path = harness.fresh();
    harness.db.client.middlewareStack.add(
      (next, context) => (args) => (context.commandName === 'BatchWriteItemCommand' ? new Promise(() => {}) : next(args)),
      { step: 'initialize', name: 'batchWriteNeverAnswers' },
    );
    const handler = createWriterHandler({ store: harness.db.store, courseClaim: DEFAULT_COURSE_CLAIM });
    const context = { awsRequestId: 'hung', getRemainingTimeInMillis: () => TIMEOUT_MARGIN_MS + 20 } as Context;
    // Act
    const result = await handler(httpEvent('POST', path, { body: batchBody(distinctEvents(3)) }), context);
    // Assert
    expect(result).toMatchObject({ statusCode: 503, headers: { 'retry-after': '1' } });
    harness.db.client.middlewareStack.remove('batchWriteNeverAnswers');
  });

  it('ends the storage calls still to come once it runs out: 503, nothing half-written, and a resend stores every event once', async () => {
    // Arrange: a submission with one event; the budget runs out as soon as the next claim has answered.
    const path = harness.fresh();
    await recordEvents(harness.db.store, { submission: path, events: postBodySchema.parse({ quiz_submission_events: [{ event_type: 'first', client_timestamp: '2014-10-08T18:00:00Z' }] }).quiz_submission_events }, caller);
    harness.db.calls.length = 0;
    const budget = new AbortController();
    harness.db.client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'UpdateItemCommand') budget.abort();
        return result;
      },
      { step: 'initialize', name: 'budgetRunsOutAfterUpdate' },
    );
    const request = { submission: path, events: batch(60) };
    // Act
    const attempt = recordEvents(harness.db.store, request, caller, budget.signal);
    // Assert
    await expect(attempt).rejects.toBeInstanceOf(StorageBusyError);
    expect(harness.db.calls).toEqual(['UpdateItem', 'BatchWriteItem', 'BatchWriteItem', 'BatchWriteItem']);
    expect((await harness.api.get(path)).json.quiz_submission_events).toHaveLength(1);
    await recordEvents(harness.db.store, request, caller);
    expect((await harness.api.walk(path, 'per_page=100')).pages.flat()).toHaveLength(61);
  });

  it('answers a read whose budget is spent with 503 rather than waiting on', async () => {
    const path = harness.fresh();
    await harness.api.post(path, distinctEvents(1));
    const read = readEvents(harness.db.store, { submission: path, filters: NO_FILTERS }, caller, AbortSignal.abort());
    await expect(read).rejects.toBeInstanceOf(StorageBusyError);
  });
});

import fc from 'fast-check';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { attemptPartitionKey, EventAttribute } from '#lib/store/table.ts';
import { eventDataWithLoneSurrogates } from '../support/arbitraries.ts';
import { useHandlersOnTestStore } from '../support/handlers.ts';
import { distinctEvents, type SubmissionPath } from '../support/http-events.ts';
import { TEST_TABLE } from '../support/test-store.ts';

/**
 * DynamoDB keeps strings as UTF-8, where an unpaired UTF-16 surrogate has no encoding: such a string
 * must never reach the table. event_data is kept as JSON text, which writes one as an escape.
 */

const harness = useHandlersOnTestStore('unicode');
const { fresh } = harness;
const at = '2014-10-08T19:29:58.123Z';

/** The attempt's items as the table holds them, read past the API. */
async function storedItems(path: SubmissionPath, attempt = 1): Promise<Record<string, unknown>[]> {
  const pk = attemptPartitionKey({ ...path, attempt });
  const { Items = [] } = await harness.db.client.send(
    new QueryCommand({ TableName: TEST_TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
  );
  return Items;
}

const stringsOf = (items: Record<string, unknown>[]): string[] =>
  items.flatMap((item) => Object.values(item).filter((value): value is string => typeof value === 'string'));

describe('strings that are not well-formed Unicode', () => {
  it.each([
    ['a lone high surrogate', 'page_\ud800blurred'],
    ['a lone low surrogate', '\udc00'],
    ['a pair in the wrong order', '\udc00\ud800'],
    ['a high surrogate cut off at the end', 'question_viewed\ud83d'],
  ])('an event_type with %s: 400 naming the field, nothing written', async (_, eventType) => {
    // Arrange
    const path = fresh();
    const batch = [...distinctEvents(2), { client_timestamp: at, event_type: eventType }];
    // Act
    const posted = await harness.api.post(path, batch);
    // Assert
    expect(posted.status).toBe(400);
    expect(posted.json.errors[0]).toEqual({
      field: 'quiz_submission_events[2].event_type',
      message: expect.stringMatching(/^quiz_submission_events\[2\]\.event_type must be well-formed Unicode/),
    });
    expect(harness.db.calls).toEqual([]);
  });

  it.each(['client_timestamp', 'created_at'])('a %s with a lone surrogate: 400 naming the field as not well-formed', async (field) => {
    const posted = await harness.api.post(fresh(), [{ event_type: 't', [field]: `${at}\udfff` }]);
    expect(posted.status).toBe(400);
    expect(posted.json.errors[0].field).toBe(`quiz_submission_events[0].${field}`);
    expect(posted.json.errors[0].message).toMatch(/well-formed Unicode/);
    expect(harness.db.calls).toEqual([]);
  });

  it('an event_type of characters beyond the BMP (surrogate pairs) is kept and returned unchanged', async () => {
    const path = fresh();
    const eventType = '😀 question_viewed 𝄞';
    expect((await harness.api.post(path, [{ client_timestamp: at, event_type: eventType }])).status).toBe(204);
    expect((await harness.api.get(path)).json.quiz_submission_events[0].event_type).toBe(eventType);
  });
});

describe('unpaired surrogates inside event_data', () => {
  const data = { '\ud800key': ['x\udc00y', '\udbff'], pair: '😀' };
  const escaped = '{"\\ud800key":["x\\udc00y","\\udbff"],"pair":"😀"';

  it.each([
    ['JSON.parse', {}, '}'],
    // 16 or more digits send the body through lossless-json's parser and stringifier.
    ['lossless-json', { big: 'BIG' }, ',"big":12345678901234567890}'],
  ])('are kept as escapes in the JSON text and come back exactly (parsed by %s)', async (_, extra, tail) => {
    // Arrange
    const path = fresh();
    const event = { client_timestamp: at, event_type: 't', event_data: { ...data, ...extra } };
    const body = JSON.stringify({ quiz_submission_events: [event] }).replace('"BIG"', '12345678901234567890');
    // Act
    const posted = await harness.api.postRaw(path, { body });
    const read = await harness.api.get(path);
    // Assert: stored as well-formed text holding the escapes, returned as the same escapes.
    expect(posted.status).toBe(204);
    const [item] = await storedItems(path);
    expect(item![EventAttribute.eventData]).toBe(escaped + tail);
    expect((item![EventAttribute.eventData] as string).isWellFormed()).toBe(true);
    expect(read.body).toContain(`"event_data":${escaped}${tail}`);
    expect(read.json.quiz_submission_events[0].event_data).toMatchObject(data);
  });

  it('whatever a valid batch holds, every string written to the table is well-formed, and event_data comes back as sent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventDataWithLoneSurrogates(), { minLength: 1, maxLength: 5 }), async (values) => {
        // Arrange
        const path = fresh();
        const batch = values.map((event_data, i) => ({ client_timestamp: new Date(Date.parse(at) + i).toISOString(), event_type: 't', event_data }));
        // Act
        const posted = await harness.api.post(path, batch);
        // Assert
        expect(posted.status).toBe(204);
        expect(stringsOf(await storedItems(path)).filter((text) => !text.isWellFormed())).toEqual([]);
        const read = (await harness.api.get(path, 'per_page=100')).json.quiz_submission_events;
        expect(read.map((event: { event_data: unknown }) => event.event_data)).toEqual(values.map((value) => JSON.parse(JSON.stringify(value))));
      }),
      { numRuns: 25 },
    );
  });
});

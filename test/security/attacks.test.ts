import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { encodeBookmark } from '#lib/domain/bookmark.ts';
import { filtersContext, NO_FILTERS } from '#lib/domain/event-filters.ts';
import { MAX_BODY_BYTES, MAX_EVENT_DATA_BYTES, MAX_EVENTS_PER_SUBMISSION } from '#lib/domain/limits.ts';
import { SUBMISSION_SORT_KEY, SubmissionAttribute, submissionPartitionKey } from '#lib/store/table.ts';
import { type Answer, useHandlersOnTestStore } from '../support/handlers.ts';
import { batchBody, distinctEvents, submission } from '../support/http-events.ts';
import { TEST_TABLE } from '../support/test-store.ts';

/**
 * The attacks a security review reproduced against the service, each now refused with nothing stored.
 * Every request goes through the functions' real handlers over dynalite, with the claims API Gateway's
 * JWT authorizer would hand over (lists rendered "[a b]", null claims left out).
 */
const harness = useHandlersOnTestStore('attack');
const FORBIDDEN = { status: 'unauthorized', errors: [{ message: 'user not authorized to perform that action' }] };

const student = (courseIds: string, sub = 'student-1') => ({ subject: sub, claims: { course_ids: courseIds } });
const storedEvents = async (path = submission()) => {
  const read = await harness.api.get(path, 'per_page=100', { claims: { course_ids: '*' } });
  return read.status === 200 ? read.json.quiz_submission_events.length : read.status;
};
const expectRefused = (answer: Answer, status: number) => {
  expect(answer.status, answer.body).toBe(status);
  expect(harness.db.calls.filter((call) => ['UpdateItem', 'PutItem', 'BatchWriteItem'].includes(call))).toEqual([]);
};

describe('1. a write-scoped token cannot take over a submission in a course it does not reach', () => {
  it("a student of course 5 posting to course 7's submission 101 is refused, and the real student then owns it", async () => {
    const victim = submission('101', '7');
    expectRefused(await harness.api.post(victim, distinctEvents(3), student('[5]', 'attacker')), 403);
    const real = await harness.api.post(victim, distinctEvents(2), student('[7]', 'real-student'));
    expect(real.status).toBe(204);
    expect(await storedEvents(victim)).toBe(2);
  });

  it.each([
    ['no course claim', { course_ids: undefined }],
    ['an empty list', { course_ids: '[]' }],
    ['an empty string', { course_ids: '' }],
    ['an object claim', { course_ids: '{"7":true}' }],
    ['a nested list', { course_ids: '[[7] 8]' }],
    ['a list holding an object beside the course', { course_ids: '[7 {"x":1}]' }],
  ])('a token with %s reaches no course, even to write', async (_, claims) => {
    const answer = await harness.api.post(submission('102', '7'), distinctEvents(1), { subject: 'x', claims });
    expectRefused(answer, 403);
    expect(answer.json).toEqual(FORBIDDEN);
  });

  it('an empty batch by another subject is refused too, after one read and no write', async () => {
    const path = harness.fresh();
    await harness.api.post(path, distinctEvents(1), student('*', 'owner'));
    harness.db.calls.length = 0;
    expectRefused(await harness.api.post(path, [], student('*', 'someone-else')), 403);
    expect(harness.db.calls).toEqual(['GetItem']);
  });
});

describe('1b. with a submission claim, a writer writes only the submissions its token names', () => {
  const perSession = useHandlersOnTestStore('session', { submissionClaim: 'quiz_submission_ids' });
  const session = (ids: string) => ({ subject: 'student-1', claims: { course_ids: '[1]', quiz_submission_ids: ids } });

  it('writes the submission it names', async () => {
    expect((await perSession.api.post(submission('s-1'), distinctEvents(1), session('[s-1]'))).status).toBe(204);
  });

  it.each([['another submission', '[s-2]'], ['an absent claim', undefined]])('is refused %s', async (_, ids) => {
    const claims = { course_ids: '[1]', quiz_submission_ids: ids };
    const answer = await perSession.api.post(submission('s-3'), distinctEvents(1), { subject: 'student-1', claims });
    expect(answer.status).toBe(403);
    expect(perSession.db.calls).toEqual([]);
  });
});

describe('2. reads fail closed', () => {
  const inCourse = (courseId: string) => submission(`read-${courseId}`, courseId);

  it.each([
    ['no course claim', { course_ids: undefined }],
    ['["1,2"]: elements are never split on commas', { course_ids: '[1,2]' }],
    ['"1,2" as a string', { course_ids: '1,2' }],
    ['another course', { course_ids: '[3]' }],
  ])('a reader with %s cannot read course 2', async (_, claims) => {
    await harness.api.post(inCourse('2'), distinctEvents(2), student('*'));
    const read = await harness.api.get(inCourse('2'), '', { claims });
    expect(read.status).toBe(403);
    expect(read.json).toEqual(FORBIDDEN);
  });

  it("reads the courses its list names, space-separated or rendered as a list, and every course with '*'", async () => {
    await harness.api.post(inCourse('8'), distinctEvents(2), student('*'));
    for (const courseIds of ['[8 9]', '8 9', '8', '*', '[*]']) {
      expect((await harness.api.get(inCourse('8'), '', { claims: { course_ids: courseIds } })).status, courseIds).toBe(200);
    }
  });
});

describe('3. the real attempt cannot be hidden', () => {
  it('?attempt=2147483647 is refused; the latest attempt stays the real one', async () => {
    const path = harness.fresh();
    await harness.api.post(path, distinctEvents(2), student('*'));
    harness.db.calls.length = 0;
    const decoy = await harness.api.post(path, distinctEvents(1, Date.parse('2015-01-01T00:00:00Z')), { ...student('*'), query: 'attempt=2147483647' });
    expect(decoy.status).toBe(400);
    expect(decoy.json.errors[0]).toMatchObject({ field: 'attempt', message: expect.stringMatching(/at most 2/) });
    expect(harness.db.calls).toEqual(['UpdateItem', 'GetItem']);
    const latest = await harness.api.get(path, '', { claims: { course_ids: '*' } });
    expect(latest.json.quiz_submission_events.map((event: { attempt: number }) => event.attempt)).toEqual([1, 1]);
  });

  it('attempts advance by one: the next is accepted, one further is not; a new submission starts at 1', async () => {
    const path = harness.fresh();
    expect((await harness.api.post(path, distinctEvents(1), { ...student('*'), query: 'attempt=2' })).status).toBe(400);
    expect((await harness.api.post(path, distinctEvents(1), { ...student('*'), query: 'attempt=1' })).status).toBe(204);
    expect((await harness.api.post(path, distinctEvents(1), { ...student('*'), query: 'attempt=3' })).status).toBe(400);
    expect((await harness.api.post(path, distinctEvents(1), { ...student('*'), query: 'attempt=2' })).status).toBe(204);
    expect((await harness.api.post(path, distinctEvents(1), { ...student('*'), extra: { attempt: 4 } })).status).toBe(400);
    expect((await harness.api.get(path, 'attempt=3', { claims: { course_ids: '*' } })).status).toBe(404);
  });
});

describe('4. one request, or one submission, cannot run up the bill', () => {
  it(`a body over ${MAX_BODY_BYTES} bytes is refused with 413 before anything is parsed or stored`, async () => {
    const body = batchBody(Array.from({ length: 1000 }, (_, i) => ({ event_type: 'x', event_data: 'y'.repeat(1100), client_timestamp: `2014-10-08T19:00:${String(i % 60).padStart(2, '0')}Z` })));
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_BODY_BYTES);
    expectRefused(await harness.api.postRaw(harness.fresh(), { ...student('*'), body }), 413);
  });

  it('event_data over 64 KiB as JSON is refused with 400 naming the event; 64 KiB exactly is stored', async () => {
    expect(MAX_EVENT_DATA_BYTES).toBe(65_536);
    const atLimit = { event_type: 'at-limit', event_data: 'x'.repeat(65_534) };
    const overLimit = { event_type: 'big', event_data: 'x'.repeat(65_535) };
    const refused = await harness.api.post(harness.fresh(), [{ event_type: 'ok' }, overLimit], student('*'));
    expectRefused(refused, 400);
    expect(refused.json.errors[0].field).toBe('quiz_submission_events[1].event_data');
    expect((await harness.api.post(harness.fresh(), [atLimit], student('*'))).status).toBe(204);
  });

  it(`the ${MAX_EVENTS_PER_SUBMISSION}th event received is the last: past it, 429, counted in the one claim update`, async () => {
    // Arrange: a submission that has received all but 10 of its events
    const path = harness.fresh();
    await harness.api.post(path, distinctEvents(1), student('*'));
    await harness.db.client.send(
      new UpdateCommand({
        TableName: TEST_TABLE,
        Key: { pk: submissionPartitionKey(path), sk: SUBMISSION_SORT_KEY },
        UpdateExpression: 'SET #count = :count',
        ExpressionAttributeNames: { '#count': SubmissionAttribute.eventCount },
        ExpressionAttributeValues: { ':count': MAX_EVENTS_PER_SUBMISSION - 10 },
      }),
    );
    harness.db.calls.length = 0;
    // Act
    const tooMany = await harness.api.post(path, distinctEvents(11, Date.parse('2015-01-01T00:00:00Z')), student('*'));
    const callsWhenRefused = [...harness.db.calls];
    harness.db.calls.length = 0;
    const justEnough = await harness.api.post(path, distinctEvents(10, Date.parse('2015-01-01T00:00:00Z')), student('*'));
    const callsWhenAccepted = [...harness.db.calls];
    const oneMore = await harness.api.post(path, distinctEvents(1, Date.parse('2016-01-01T00:00:00Z')), student('*'));
    // Assert
    expect(tooMany.status).toBe(429);
    expect(tooMany.json).toEqual({ errors: [{ message: expect.stringContaining(String(MAX_EVENTS_PER_SUBMISSION)) }] });
    expect(callsWhenRefused).toEqual(['UpdateItem', 'GetItem']);
    expect(justEnough.status).toBe(204);
    expect(callsWhenAccepted).toEqual(['UpdateItem', 'BatchWriteItem']);
    expect(oneMore.status).toBe(429);
    expect(await storedEvents(path)).toBe(11);
  });

  it('resends count against the quota: it bounds what a client looping on one batch can cost', async () => {
    const path = harness.fresh();
    const batch = distinctEvents(3);
    for (let i = 0; i < 3; i++) await harness.api.post(path, batch, student('*'));
    const { Item } = await harness.db.client.send(new (await import('@aws-sdk/lib-dynamodb')).GetCommand({ TableName: TEST_TABLE, Key: { pk: submissionPartitionKey(path), sk: SUBMISSION_SORT_KEY } }));
    expect(Item?.[SubmissionAttribute.eventCount]).toBe(9);
    expect(await storedEvents(path)).toBe(3);
  });
});

describe('6. every answer of the functions says not to cache or sniff it', () => {
  const EXPECTED = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

  it.each([
    ['204', () => harness.api.post(harness.fresh(), distinctEvents(1), student('*'))],
    ['200', async () => harness.api.get(submission('read-8', '8'), '', { claims: { course_ids: '*' } })],
    ['400', () => harness.api.post(harness.fresh(), [{ event_type: '' }], student('*'))],
    ['403', () => harness.api.post(harness.fresh(), distinctEvents(1), student('[99]'))],
    ['404', () => harness.api.get(harness.fresh(), '', { claims: { course_ids: '*' } })],
    ['413', () => harness.api.postRaw(harness.fresh(), { ...student('*'), body: 'x'.repeat(MAX_BODY_BYTES + 1) })],
    ['415', () => harness.api.postRaw(harness.fresh(), { ...student('*'), body: '{}', headers: { 'content-type': 'text/plain' } })],
  ])('%s', async (status, request) => {
    const answer = await request();
    expect(String(answer.status)).toBe(status);
    expect(answer.headers).toMatchObject(EXPECTED);
  });
});

describe('6b. a bookmark carries no authority', () => {
  it("one made by hand, with a checksum that holds, for another course's submission is refused by the course check", async () => {
    const target = submission('bookmarked', '7');
    await harness.api.post(target, distinctEvents(3), student('[7]'));
    const page = encodeBookmark(`events ${JSON.stringify(['7', '2', 'bookmarked'])} ${filtersContext(NO_FILTERS)}`, [1, '2014-10-08T19:00:00.000Z#AAAAAAAAAAAAAAAAAAAAAA']);
    harness.db.calls.length = 0;
    const read = await harness.api.get(target, `page=${page}`, { claims: { course_ids: '[5]' } });
    expect(read.status).toBe(403);
    expect(harness.db.calls).toEqual([]);
  });

  it('one whose position lies outside the filters it names is a 400, never a storage error', async () => {
    const target = submission('bookmarked-2');
    await harness.api.post(target, distinctEvents(3), student('*'));
    const filters = { eventTypes: [], startTime: '2014-10-08T19:00:01.000Z' };
    const page = encodeBookmark(`events ${JSON.stringify(['1', '2', 'bookmarked-2'])} ${filtersContext(filters)}`, [1, '2014-10-08T18:00:00.000Z#AAAAAAAAAAAAAAAAAAAAAA']);
    harness.db.calls.length = 0;
    const read = await harness.api.get(target, `start_time=${filters.startTime}&page=${page}`, { claims: { course_ids: '*' } });
    expect(read.status).toBe(400);
    expect(read.json.errors[0].field).toBe('page');
    expect(harness.db.calls).toEqual([]);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_QUERIES_PER_FEED_PAGE, MAX_QUERIES_PER_FILTERED_EVENTS_PAGE } from '#lib/domain/limits.ts';
import { injectFaults } from '../support/fault-injection.ts';
import { type Answer, parseLinks, useHandlersOnTestStore } from '../support/handlers.ts';
import { distinctEvents, submission } from '../support/http-events.ts';
import { eventsFillingOneQuery } from '../support/one-megabyte-query.ts';
import { quizDataset, type SeededEvent } from '../support/quiz-dataset.ts';

/**
 * Reporting reads (docs/api.md, "Filters" and "The quiz-wide feed"): a quiz of 40 submissions with 1–3
 * attempts each and mixed event types, walked page by page at several page sizes, with and without each
 * filter. What comes back is compared with what was posted.
 */
const harness = useHandlersOnTestStore('reporting');
const QUIZ = { course_id: '1', quiz_id: '2' };
const { submissions, events: seeded } = quizDataset({ count: 40 });

beforeAll(async () => {
  for (const { path, subject, attempts } of submissions) {
    for (const [i, events] of attempts.entries()) {
      const posted = await harness.api.post(path, events, { subject, query: `attempt=${i + 1}`, claims: { course_ids: '[1]' } });
      expect(posted.status).toBe(204);
    }
  }
});

interface FeedEvent {
  submission_id: string;
  attempt: number;
  event_type: string;
  client_timestamp: string;
}

const shape = (event: SeededEvent | FeedEvent) => `${'submissionId' in event ? event.submissionId : event.submission_id}/${event.attempt}/${event.client_timestamp}/${event.event_type}`;
const latestAttempt = new Map(submissions.map(({ path, attempts }) => [path.submissionId, attempts.length]));
const reader = { claims: { course_ids: '[1]' } };

/** Walks the feed, counting the DynamoDB calls of each page. */
async function walkFeed(query: string) {
  const pages: Answer[] = [];
  const callsPerPage: number[] = [];
  let next: string | undefined = query;
  while (next !== undefined) {
    harness.db.calls.length = 0;
    const page = await harness.api.call('getQuizEvents', QUIZ, next, reader);
    expect(page.status, page.body).toBe(200);
    callsPerPage.push(harness.db.calls.length);
    pages.push(page);
    const nextUrl = parseLinks(page.headers.link).next;
    next = nextUrl === undefined ? undefined : new URL(nextUrl).search.slice(1);
  }
  return { pages, events: pages.flatMap((page) => page.json.quiz_submission_events as (FeedEvent & { attempt: number })[]), callsPerPage };
}

const inWindow = (event: SeededEvent, start?: string, end?: string) =>
  (start === undefined || event.client_timestamp >= start) && (end === undefined || event.client_timestamp < end);

describe('the quiz-wide feed', () => {
  it.each([3, 10, 100])('walks every event of every attempt exactly once, in submission id, attempt, created_at order (per_page %i)', async (perPage) => {
    const { pages, events, callsPerPage } = await walkFeed(`attempt=all&per_page=${perPage}`);
    expect(events.map(shape)).toEqual(seeded.map(shape));
    expect(new Set(events.map((event) => `${(event as { id?: string }).id}`)).size).toBe(events.length);
    expect(Math.max(...callsPerPage)).toBeLessThanOrEqual(MAX_QUERIES_PER_FEED_PAGE);
    expect(pages.slice(0, -1).every((page) => page.json.quiz_submission_events.length <= perPage)).toBe(true);
  });

  it('gives each submission\'s latest attempt by default, and one attempt by number', async () => {
    const latest = await walkFeed('per_page=50');
    expect(latest.events.map(shape)).toEqual(seeded.filter((event) => event.attempt === latestAttempt.get(event.submissionId)).map(shape));
    const second = await walkFeed('attempt=2&per_page=50');
    expect(second.events.map(shape)).toEqual(seeded.filter((event) => event.attempt === 2).map(shape));
  });

  it('adds submission_id to each event, and keeps Canvas\'s keys and ours', async () => {
    const page = await harness.api.call('getQuizEvents', QUIZ, 'per_page=1', reader);
    expect(Object.keys(page.json.quiz_submission_events[0])).toEqual(['id', 'event_type', 'event_data', 'created_at', 'client_timestamp', 'received_at', 'submission_id', 'attempt']);
    expect(Object.keys(page.json)).toEqual(['quiz_submission_events']);
  });

  it.each([
    ['event_types[]=page_blurred&event_types[]=page_focused', (event: SeededEvent) => ['page_blurred', 'page_focused'].includes(event.event_type)],
    ['event_types=question_viewed,question_flagged', (event: SeededEvent) => ['question_viewed', 'question_flagged'].includes(event.event_type)],
    ['start_time=2014-10-08T19:05:00Z&end_time=2014-10-08T20:07:00.000Z', (event: SeededEvent) => inWindow(event, '2014-10-08T19:05:00.000Z', '2014-10-08T20:07:00.000Z')],
    ['start_time=2014-10-08T20:00:00%2B01:00', (event: SeededEvent) => inWindow(event, '2014-10-08T19:00:00.000Z')],
    [
      'event_types[]=session_started&end_time=2014-10-08T21:00:00Z&submission_ids[]=12&submission_ids[]=3&submission_ids[]=7',
      (event: SeededEvent) => event.event_type === 'session_started' && inWindow(event, undefined, '2014-10-08T21:00:00.000Z') && ['12', '3', '7'].includes(event.submissionId),
    ],
  ])('with %s: every matching event once, in order, and every link keeps the filters', async (filters, matches) => {
    const { pages, events, callsPerPage } = await walkFeed(`attempt=all&per_page=4&${filters}`);
    expect(events.map(shape)).toEqual(seeded.filter(matches).map(shape));
    expect(Math.max(...callsPerPage)).toBeLessThanOrEqual(MAX_QUERIES_PER_FEED_PAGE);
    const kept = [...new URLSearchParams(filters)].sort(([a], [b]) => (a < b ? -1 : 1));
    for (const page of pages) {
      for (const url of Object.values(parseLinks(page.headers.link))) {
        const params = [...new URL(url).searchParams].filter(([name]) => name !== 'page' && name !== 'per_page' && name !== 'attempt');
        expect(params.sort(([a], [b]) => (a < b ? -1 : 1))).toEqual(kept);
      }
    }
  });

  it('answers 200 with no events for a quiz without submissions', async () => {
    const answer = await harness.api.call('getQuizEvents', { course_id: '1', quiz_id: 'no-such-quiz' }, '', reader);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ quiz_submission_events: [] });
    expect(parseLinks(answer.headers.link).next).toBeUndefined();
  });

  it('refuses a bookmark used with other filters, another attempt selection or other submissions', async () => {
    const first = await harness.api.call('getQuizEvents', QUIZ, 'event_types[]=page_blurred&per_page=2', reader);
    const page = new URL(parseLinks(first.headers.link).next!).searchParams.get('page')!;
    for (const other of ['event_types[]=page_focused', '', 'event_types[]=page_blurred&attempt=all', 'event_types[]=page_blurred&submission_ids[]=3', 'event_types[]=page_blurred&start_time=2014-01-01T00:00:00Z']) {
      harness.db.calls.length = 0;
      const answer = await harness.api.call('getQuizEvents', QUIZ, `${other}&page=${encodeURIComponent(page)}`, reader);
      expect(answer.status, other).toBe(400);
      expect(answer.json.errors[0].field).toBe('page');
      expect(harness.db.calls).toEqual([]);
    }
  });

  it('cannot reach another course: a course-limited token is refused the feed of a course it does not list', async () => {
    harness.db.calls.length = 0;
    const answer = await harness.api.call('getQuizEvents', QUIZ, '', { claims: { course_ids: '[2]' } });
    expect(answer.status).toBe(403);
    expect(harness.db.calls).toEqual([]);
  });

  it.each([
    ['attempt=0', 'attempt'],
    ['attempt=latest,all', 'attempt'],
    ['submission_ids[]=a/b', 'submission_ids[0]'],
    ['start_time=yesterday', 'start_time'],
    ['start_time=2014-10-08T20:00:00Z&end_time=2014-10-08T20:00:00Z', 'start_time'],
    ['event_types[]=', 'event_types[0]'],
    ['per_page=ten', 'per_page'],
    ['page=2', 'page'],
  ])('refuses %s with 400 naming %s, before reading anything', async (query, field) => {
    harness.db.calls.length = 0;
    const answer = await harness.api.call('getQuizEvents', QUIZ, query, reader);
    expect(answer.status).toBe(400);
    expect(answer.json.errors[0].field).toBe(field);
    expect(harness.db.calls).toEqual([]);
  });
});

describe("filters on one submission's events", () => {
  const busiest = submissions.reduce((a, b) => (a.attempts.flat().length >= b.attempts.flat().length ? a : b));
  const ofBusiest = seeded.filter((event) => event.submissionId === busiest.path.submissionId && event.attempt === 1);

  it.each([1, 2, 5])('select types and a time range, each matching event once at per_page %i, within 4 Queries a page', async (perPage) => {
    const types = ['page_blurred', 'question_viewed'];
    const query = `attempt=1&per_page=${perPage}&event_types[]=${types[0]}&event_types[]=${types[1]}&start_time=2014-10-08T19:00:00Z`;
    harness.db.calls.length = 0;
    const { pages } = await harness.api.walk(busiest.path, query, reader);
    expect(pages.flat().map((event) => event.client_timestamp)).toEqual(ofBusiest.filter((event) => types.includes(event.event_type)).map((event) => event.client_timestamp));
    expect(harness.db.calls.filter((call) => call === 'Query').length).toBeLessThanOrEqual(MAX_QUERIES_PER_FILTERED_EVENTS_PAGE * pages.length);
  });

  it('includes an event at start_time and leaves out one at end_time, to the millisecond', async () => {
    const [, second, third, fourth] = ofBusiest;
    const query = `attempt=1&per_page=100&start_time=${second!.client_timestamp}&end_time=${fourth!.client_timestamp}`;
    const read = await harness.api.get(busiest.path, query, reader);
    expect(read.json.quiz_submission_events.map((event: FeedEvent) => event.client_timestamp)).toEqual([second!.client_timestamp, third!.client_timestamp]);
    const justAfter = new Date(Date.parse(fourth!.client_timestamp) + 1).toISOString();
    const withFourth = await harness.api.get(busiest.path, `attempt=1&per_page=100&start_time=${second!.client_timestamp}&end_time=${justAfter}`, reader);
    expect(withFourth.json.quiz_submission_events).toHaveLength(3);
  });

  it('answers an attempt with no matching events with 200 and an empty list; an unknown attempt with 404', async () => {
    const none = await harness.api.get(busiest.path, 'attempt=1&event_types[]=no_such_type', reader);
    expect(none.status).toBe(200);
    expect(none.json.quiz_submission_events).toEqual([]);
    const afterAll = await harness.api.get(busiest.path, 'attempt=1&start_time=2030-01-01T00:00:00Z', reader);
    expect(afterAll.json.quiz_submission_events).toEqual([]);
    expect((await harness.api.get(busiest.path, `attempt=${busiest.attempts.length + 1}`, reader)).status).toBe(404);
  });

  it('fills a page with a rare type from several Queries, and links on when 4 were not enough', async () => {
    // Arrange: 6,000 events, a rare type every 1,500th; a filtered Query reads 1,000
    const path = harness.fresh();
    const many = distinctEvents(6000).map((event, i) => ({ ...event, event_type: i % 1500 === 1499 ? 'rare' : 'common' }));
    for (let start = 0; start < many.length; start += 1000) await harness.api.post(path, many.slice(start, start + 1000));
    harness.db.calls.length = 0;
    // Act
    const first = await harness.api.get(path, 'attempt=1&per_page=3&event_types[]=rare');
    const firstCalls = [...harness.db.calls];
    const { pages } = await harness.api.walk(path, 'attempt=1&per_page=3&event_types[]=rare');
    // Assert: the 4 Queries of the first page read 4,000 events and found 2; the page links on
    expect(first.json.quiz_submission_events).toHaveLength(2);
    expect(firstCalls).toEqual(['Query', 'Query', 'Query', 'Query']);
    expect(parseLinks(first.headers.link).next).toBeDefined();
    expect(pages.map((page) => page.length)).toEqual([2, 2]);
    expect(pages.flat().map((event) => event.client_timestamp)).toEqual(many.filter((event) => event.event_type === 'rare').map((event) => event.client_timestamp));
  });

  it('ends cleanly when DynamoDB cut a Query at 1 MB exactly on the last event, with or without a type filter', async () => {
    const path = harness.fresh();
    const heavy = eventsFillingOneQuery({ ...path, attempt: 1 }, 20);
    await harness.api.post(path, heavy.slice(0, 10));
    await harness.api.post(path, heavy.slice(10));
    for (const query of ['attempt=1&per_page=100', 'attempt=1&per_page=100&event_types[]=nothing-matches', `attempt=1&per_page=100&event_types[]=${String(heavy[0]!.event_type)}`]) {
      harness.db.calls.length = 0;
      const { pages } = await harness.api.walk(path, query);
      expect(harness.db.calls.filter((call) => call === 'Query').length, query).toBeLessThanOrEqual(2 * MAX_QUERIES_PER_FILTERED_EVENTS_PAGE);
      expect(pages.length, query).toBeLessThanOrEqual(2);
    }
  });
});

describe("the quiz's roster", () => {
  it('lists a submission whose roster write failed once the next POST comes, with nothing lost', async () => {
    const path = submission('roster-heals', '1', 'roster-quiz');
    const faults = injectFaults(harness.db.client, (call) => (call.operation === 'PutItem' && call.nth === 0 ? { kind: 'throughput-exceeded' } : undefined));
    try {
      const first = await harness.api.post(path, distinctEvents(2));
      expect(first.status).toBe(503);
    } finally {
      faults.stop();
    }
    const resent = await harness.api.post(path, distinctEvents(2));
    expect(resent.status).toBe(204);
    const feed = await harness.api.call('getQuizEvents', { course_id: '1', quiz_id: 'roster-quiz' }, '');
    expect(feed.json.quiz_submission_events.map((event: FeedEvent) => event.submission_id)).toEqual(['roster-heals', 'roster-heals']);
  });
});

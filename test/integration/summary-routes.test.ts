import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarizeAttempt } from '#lib/domain/attempt-summary.ts';
import { SUMMARY_PAGE_TIME_RESERVE_MS, TIMEOUT_MARGIN_MS } from '#lib/domain/limits.ts';
import { summaryJson } from '#lib/http/summary-body.ts';
import { parseLinks, type ReturnedEvent, useHandlersOnTestStore } from '../support/handlers.ts';
import { distinctEvents, submission } from '../support/http-events.ts';
import { eventsFillingOneQuery } from '../support/one-megabyte-query.ts';
import { quizDataset } from '../support/quiz-dataset.ts';

/**
 * The summary routes (docs/api.md, "Summaries") over stored events: each summary must be the one the
 * summarizer computes from the attempt's events as GET returns them, whatever the store's paging.
 */
const harness = useHandlersOnTestStore('summary');
const QUIZ = { course_id: '1', quiz_id: 'summarized' };
const { submissions } = quizDataset({ count: 12, quizId: QUIZ.quiz_id });
const reader = { claims: { course_ids: '[1]' } };

beforeAll(async () => {
  for (const { path, subject, attempts } of submissions) {
    for (const [i, events] of attempts.entries()) await harness.api.post(path, events, { subject, query: `attempt=${i + 1}` });
  }
});

/** The expected summary: the summarizer over the events GET returns, in their order. */
async function expectedSummary(path: { courseId: string; quizId: string; submissionId: string }, attempt: number): Promise<unknown> {
  const { pages } = await harness.api.walk(path, `attempt=${attempt}&per_page=100`, reader);
  const events = pages.flat().map((event: ReturnedEvent) => ({
    createdAt: event.created_at,
    eventType: event.event_type,
    eventDataJson: JSON.stringify(event.event_data),
    clientTimestamp: event.client_timestamp ?? undefined,
    receivedAt: event.received_at,
  }));
  return JSON.parse(summaryJson(summarizeAttempt(path.submissionId, attempt, events)));
}

const idsOf = (path: { courseId: string; quizId: string; submissionId: string }) => ({ course_id: path.courseId, quiz_id: path.quizId, id: path.submissionId });

describe("one attempt's summary", () => {
  it('is the summary of the latest attempt by default, and of the attempt asked for', async () => {
    const { path, attempts } = submissions.find((s) => s.attempts.length >= 2)!;
    const latest = await harness.api.call('getEventsSummary', idsOf(path), '', reader);
    const first = await harness.api.call('getEventsSummary', idsOf(path), 'attempt=1', reader);
    expect(latest.status).toBe(200);
    expect(latest.json).toEqual(await expectedSummary(path, attempts.length));
    expect(first.json).toEqual(await expectedSummary(path, 1));
    expect(latest.headers).toMatchObject({ 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' });
  });

  it('reads an attempt DynamoDB returns in several 1 MB Queries whole', async () => {
    const path = harness.fresh();
    const heavy = eventsFillingOneQuery({ ...path, attempt: 1 }, 20);
    for (let start = 0; start < 60; start += 10) {
      const shifted = heavy.slice(start % 20, (start % 20) + 10).map((event, i) => ({ ...event, client_timestamp: new Date(Date.parse('2014-10-08T19:00:00Z') + (start + i) * 1000).toISOString() }));
      await harness.api.post(path, shifted);
    }
    harness.db.calls.length = 0;
    const summary = await harness.api.call('getEventsSummary', idsOf(path), '', reader);
    expect(harness.db.calls.filter((call) => call === 'Query').length).toBeGreaterThanOrEqual(3);
    expect(summary.json.event_count).toBe(60);
    expect(summary.json).toEqual(await expectedSummary(path, 1));
  });

  it('answers 404 for an unknown submission or an attempt past the current one, 403 for a course the token does not reach', async () => {
    const { path, attempts } = submissions[0]!;
    expect((await harness.api.call('getEventsSummary', idsOf(submission('nobody', '1', QUIZ.quiz_id)), '', reader)).status).toBe(404);
    expect((await harness.api.call('getEventsSummary', idsOf(path), `attempt=${attempts.length + 1}`, reader)).status).toBe(404);
    expect((await harness.api.call('getEventsSummary', idsOf(path), '', { claims: { course_ids: '[9]' } })).status).toBe(403);
    expect((await harness.api.call('getEventsSummary', idsOf(path), 'attempt=zero', reader)).status).toBe(400);
  });
});

describe("a quiz's summaries", () => {
  it.each([['latest', 1], ['all', 5], ['2', 25]])('walk one summary per selected attempt, paged by submission (attempt=%s, per_page %i)', async (attempt, perPage) => {
    const pages = await harness.api.walkRoute('getQuizSummaries', QUIZ, `attempt=${attempt}&per_page=${perPage}`, reader);
    const summaries = pages.flatMap((page) => page.json.quiz_submission_event_summaries);
    const expected = [];
    for (const { path, attempts } of [...submissions].sort((a, b) => (a.path.submissionId < b.path.submissionId ? -1 : 1))) {
      const selected = attempt === 'latest' ? [attempts.length] : attempt === 'all' ? attempts.map((_, i) => i + 1) : attempts.length >= 2 ? [2] : [];
      for (const n of selected) expected.push(await expectedSummary(path, n));
    }
    expect(summaries).toEqual(expected);
    for (const page of pages) expect(new Set(page.json.quiz_submission_event_summaries.map((s: { submission_id: string }) => s.submission_id)).size).toBeLessThanOrEqual(perPage);
  });

  it('takes a subset of submissions, and clamps per_page to 25', async () => {
    const answer = await harness.api.call('getQuizSummaries', QUIZ, 'submission_ids[]=3&submission_ids[]=11&submission_ids[]=nobody&per_page=1000', reader);
    expect(answer.json.quiz_submission_event_summaries.map((s: { submission_id: string }) => s.submission_id)).toEqual(['11', '3']);
    expect(parseLinks(answer.headers.link).current).toContain('per_page=25');
  });

  it('answers with fewer summaries and a next link when the request runs short of time, and the walk still yields every one', async () => {
    // Arrange: a Lambda context with just enough time for one attempt's summary on each page
    const context = { awsRequestId: 'short', getRemainingTimeInMillis: () => TIMEOUT_MARGIN_MS + SUMMARY_PAGE_TIME_RESERVE_MS - 1 } as Context;
    // Act
    const first = await harness.api.call('getQuizSummaries', QUIZ, 'attempt=all&per_page=25', { ...reader, context });
    const pages = await harness.api.walkRoute('getQuizSummaries', QUIZ, 'attempt=all&per_page=25', { ...reader, context });
    const whole = await harness.api.call('getQuizSummaries', QUIZ, 'attempt=all&per_page=25', reader);
    // Assert
    expect(first.json.quiz_submission_event_summaries).toHaveLength(1);
    expect(parseLinks(first.headers.link).next).toBeDefined();
    expect(pages.flatMap((page) => page.json.quiz_submission_event_summaries)).toEqual(whole.json.quiz_submission_event_summaries);
  });

  it('refuses a token that does not reach the course, and a bookmark of the event feed', async () => {
    expect((await harness.api.call('getQuizSummaries', QUIZ, '', { claims: { course_ids: '[2]' } })).status).toBe(403);
    const feed = await harness.api.call('getQuizEvents', QUIZ, 'per_page=1', reader);
    const page = new URL(parseLinks(feed.headers.link).next!).searchParams.get('page')!;
    expect((await harness.api.call('getQuizSummaries', QUIZ, `page=${page}&per_page=1`, reader)).status).toBe(400);
  });

  it('answers 200 with no summaries for a quiz without submissions', async () => {
    const answer = await harness.api.call('getQuizSummaries', { ...QUIZ, quiz_id: 'empty' }, '', reader);
    expect(answer.json).toEqual({ quiz_submission_event_summaries: [] });
  });

  it('counts the events of an attempt exactly as posted, resends once', async () => {
    const path = submission('resent', '1', QUIZ.quiz_id);
    const batch = distinctEvents(7);
    await harness.api.post(path, batch);
    await harness.api.post(path, batch);
    const summary = await harness.api.call('getEventsSummary', idsOf(path), '', reader);
    expect(summary.json).toMatchObject({ submission_id: 'resent', attempt: 1, event_count: 7, event_counts: { page_blurred: 3, question_viewed: 4 } });
  });
});

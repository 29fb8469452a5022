import * as z from 'zod/mini';
import { type AttemptSummary, AttemptSummarizer } from './attempt-summary.ts';
import { bookmarkAttemptSchema, decodeBookmark, encodeBookmark } from './bookmark.ts';
import { assertReachesCourse, type Caller } from './caller.ts';
import { NotFoundError } from './errors.ts';
import { NO_FILTERS } from './event-filters.ts';
import { createdAtOfEventKey } from './event-key.ts';
import type { EventStore } from './event-store.ts';
import type { AttemptRef, SubmissionRef } from './ids.ts';
import { clampPerPage, MAX_SUMMARIES_PER_PAGE, PATH_ID_PATTERN, SUMMARY_PAGE_TIME_RESERVE_MS } from './limits.ts';
import { quizBookmarkContext, ROSTER_QUERY_LIMIT, type ReadQuizEventsRequest, selectedAttempts } from './read-quiz-events.ts';

/**
 * Every event of an attempt, read in key order Query after Query (DynamoDB ends each at 1 MB), into its
 * summary. Nothing but the running figures is kept in memory.
 */
export async function summarizeStoredAttempt(store: EventStore, ref: AttemptRef, signal?: AbortSignal): Promise<AttemptSummary> {
  const summarizer = new AttemptSummarizer(ref.submissionId, ref.attempt);
  let afterKey: string | undefined;
  do {
    const slice = await store.queryEvents(ref, { afterKey }, signal);
    for (const event of slice.events) summarizer.add(event, createdAtOfEventKey(event.key));
    afterKey = slice.lastEvaluatedKey;
  } while (afterKey !== undefined);
  return summarizer.summary();
}

export interface ReadSummaryRequest {
  submission: SubmissionRef;
  /** Absent: the latest attempt. */
  attempt?: number | undefined;
}

/** GET …/submissions/:id/events/summary: one attempt's summary; 404 for an unknown submission or attempt. */
export async function readAttemptSummary(store: EventStore, { submission, attempt }: ReadSummaryRequest, caller: Caller, signal?: AbortSignal): Promise<AttemptSummary> {
  assertReachesCourse(caller, submission.courseId);
  const known = await store.getSubmission(submission, signal);
  if (!known || (attempt !== undefined && attempt > known.currentAttempt)) throw new NotFoundError('no such submission or attempt');
  return summarizeStoredAttempt(store, { ...submission, attempt: attempt ?? known.currentAttempt }, signal);
}

export type ReadQuizSummariesRequest = Omit<ReadQuizEventsRequest, 'filters'>;

export interface QuizSummariesPage {
  perPage: number;
  summaries: AttemptSummary[];
  next?: string | undefined;
}

/** Where the next page starts: this submission, from this attempt. */
const cursorSchema = z.tuple([z.string().check(z.regex(PATH_ID_PATTERN)), bookmarkAttemptSchema]);

/**
 * GET …/quizzes/:quiz_id/submission_events/summary: a page of `perPage` submissions, one summary per
 * selected attempt of each, in submission id then attempt order. Summaries are computed from all of an
 * attempt's events, so a page stops early, with a link to go on, once the request's time runs short.
 */
export async function readQuizSummaries(
  store: EventStore,
  request: ReadQuizSummariesRequest,
  caller: Caller,
  { signal, deadline = Number.POSITIVE_INFINITY }: { signal?: AbortSignal; deadline?: number } = {},
): Promise<QuizSummariesPage> {
  const { quiz, attempts } = request;
  assertReachesCourse(caller, quiz.courseId);
  const context = quizBookmarkContext('quiz-summaries', { ...request, filters: NO_FILTERS });
  const cursor = request.page === undefined ? undefined : decodeBookmark(context, request.page, cursorSchema);
  const perPage = clampPerPage(request.perPage, MAX_SUMMARIES_PER_PAGE);
  const subset = request.submissionIds && new Set(request.submissionIds);
  const summaries: AttemptSummary[] = [];
  const page = (next?: readonly [string, number]): QuizSummariesPage => ({ perPage, summaries, next: next && encodeBookmark(context, next) });

  let submissionsDone = 0;
  let rosterFrom = cursor?.[0] ?? request.submissionIds?.[0];
  let doneThrough: string | undefined;
  for (;;) {
    const roster = await store.listSubmissions(quiz, { fromSubmissionId: rosterFrom, toSubmissionId: request.submissionIds?.at(-1), limit: ROSTER_QUERY_LIMIT }, signal);
    for (const { submissionId, currentAttempt } of roster.submissions) {
      if ((subset && !subset.has(submissionId)) || (doneThrough !== undefined && submissionId <= doneThrough)) continue;
      const resumeAt = cursor?.[0] === submissionId ? cursor[1] : 1;
      if (submissionsDone === perPage) return page([submissionId, resumeAt]);
      for (const attempt of selectedAttempts(currentAttempt, attempts)) {
        if (attempt < resumeAt) continue;
        // Time for one more attempt's summary? Otherwise this page ends here and links on.
        if (summaries.length > 0 && Date.now() > deadline - SUMMARY_PAGE_TIME_RESERVE_MS) return page([submissionId, attempt]);
        summaries.push(await summarizeStoredAttempt(store, { ...quiz, submissionId, attempt }, signal));
      }
      submissionsDone++;
    }
    const lastListed = roster.submissions.at(-1);
    if (roster.lastEvaluatedSubmissionId === undefined || !lastListed) return page();
    rosterFrom = doneThrough = lastListed.submissionId;
  }
}

import * as z from 'zod/mini';
import { bookmarkAttemptSchema, decodeBookmark, encodeBookmark } from './bookmark.ts';
import { assertReachesCourse, type Caller } from './caller.ts';
import { EVENT_KEY_PATTERN } from './event-key.ts';
import { assertWithinTimeRange, type EventFilters, filtersContext } from './event-filters.ts';
import type { EventStore } from './event-store.ts';
import type { QuizRef } from './ids.ts';
import { clampPerPage, MAX_QUERIES_PER_FEED_PAGE, PATH_ID_PATTERN } from './limits.ts';
import { fillFromAttempt } from './page-filling.ts';
import type { StoredEvent } from './stored-event.ts';

/** Which attempts of each submission: its latest, all of them, or one by number. */
export type AttemptSelection = 'latest' | 'all' | number;

export interface ReadQuizEventsRequest {
  quiz: QuizRef;
  attempts: AttemptSelection;
  /** Only these submissions (sorted, without repeats); absent: every submission of the quiz. */
  submissionIds?: readonly string[] | undefined;
  filters: EventFilters;
  perPage?: number | undefined;
  /** A bookmark from a Link header; absent: the first page. */
  page?: string | undefined;
}

export interface QuizEvent {
  submissionId: string;
  attempt: number;
  event: StoredEvent;
}

export interface QuizEventsPage {
  perPage: number;
  events: QuizEvent[];
  next?: string | undefined;
}

/**
 * Roster entries read per Query. A page's first roster Query reads a few (a page of events seldom spans
 * more submissions; the benchmark walked 0.66× → 0.80× of a bare loop with 10 instead of 100); when the
 * page needs more submissions than that, further Queries read many, so that Queries go to events.
 */
const FIRST_ROSTER_QUERY_LIMIT = 10;
export const ROSTER_QUERY_LIMIT = 100;

/** Where the walk goes on: this submission, from this attempt, after this event key (null: from the start). */
interface Cursor {
  submissionId: string;
  attempt: number;
  afterKey: string | null;
}

const cursorSchema = z.tuple([
  z.string().check(z.regex(PATH_ID_PATTERN)),
  // One past an attempt: the submission is done up to that attempt.
  bookmarkAttemptSchema,
  z.nullable(z.string().check(z.regex(EVENT_KEY_PATTERN))),
]);

export const selectedAttempts = (currentAttempt: number, selection: AttemptSelection): number[] =>
  selection === 'latest' ? [currentAttempt]
  : selection === 'all' ? Array.from({ length: currentAttempt }, (_, i) => i + 1)
  : selection <= currentAttempt ? [selection]
  : [];

export const quizBookmarkContext = (route: string, { quiz, attempts, submissionIds, filters }: Omit<ReadQuizEventsRequest, 'perPage' | 'page'>): string =>
  `${route} ${JSON.stringify([quiz.courseId, quiz.quizId, attempts, submissionIds ?? null])} ${filtersContext(filters)}`;

/**
 * One page of the quiz-wide feed: events ordered by submission id, then attempt, then created_at. The
 * quiz's roster lists its submissions in order; each selected attempt is read as the single-attempt
 * route reads it. A page makes at most MAX_QUERIES_PER_FEED_PAGE Queries; when they run out first, it is
 * shorter and links on from where it stopped.
 */
export async function readQuizEvents(store: EventStore, request: ReadQuizEventsRequest, caller: Caller, signal?: AbortSignal): Promise<QuizEventsPage> {
  const { quiz, attempts, filters } = request;
  assertReachesCourse(caller, quiz.courseId);
  const context = quizBookmarkContext('quiz-events', request);
  const bookmark = request.page === undefined ? undefined : decodeBookmark(context, request.page, cursorSchema);
  if (bookmark?.[2]) assertWithinTimeRange(bookmark[2], filters);
  const perPage = clampPerPage(request.perPage);
  const subset = request.submissionIds && new Set(request.submissionIds);
  const lastInSubset = request.submissionIds?.at(-1);

  const want = perPage + 1;
  const found: QuizEvent[] = [];
  let queries = 0;
  const pageEndingAt = (cursor: Cursor | undefined): QuizEventsPage => ({
    perPage,
    events: found,
    next: cursor && encodeBookmark(context, [cursor.submissionId, cursor.attempt, cursor.afterKey]),
  });

  let cursor: Cursor | undefined = bookmark && { submissionId: bookmark[0], attempt: bookmark[1], afterKey: bookmark[2] };
  let rosterFrom = cursor?.submissionId ?? request.submissionIds?.[0];
  for (let rosterQueries = 0; ; rosterQueries++) {
    if (queries >= MAX_QUERIES_PER_FEED_PAGE) return pageEndingAt(cursor);
    const limit = rosterQueries === 0 ? FIRST_ROSTER_QUERY_LIMIT : ROSTER_QUERY_LIMIT;
    const roster = await store.listSubmissions(quiz, { fromSubmissionId: rosterFrom, toSubmissionId: lastInSubset, limit }, signal);
    queries++;
    for (const { submissionId, currentAttempt } of roster.submissions) {
      if (subset && !subset.has(submissionId)) continue;
      const resuming = cursor?.submissionId === submissionId ? cursor : undefined;
      for (const attempt of selectedAttempts(currentAttempt, attempts)) {
        if (resuming && attempt < resuming.attempt) continue;
        const afterKey = resuming?.attempt === attempt ? (resuming.afterKey ?? undefined) : undefined;
        if (queries >= MAX_QUERIES_PER_FEED_PAGE) return pageEndingAt({ submissionId, attempt, afterKey: afterKey ?? null });
        const filled = await fillFromAttempt(
          store,
          { ...quiz, submissionId, attempt },
          filters,
          { want: want - found.length, afterKey, maxQueries: MAX_QUERIES_PER_FEED_PAGE - queries },
          signal,
        );
        queries += filled.queries;
        found.push(...filled.events.map((event) => ({ submissionId, attempt, event })));
        if (found.length > perPage) {
          found.length = perPage;
          const last = found.at(-1)!;
          return pageEndingAt({ submissionId: last.submissionId, attempt: last.attempt, afterKey: last.event.key });
        }
        if (filled.continueAfter) return pageEndingAt({ submissionId, attempt, afterKey: filled.continueAfter });
      }
    }
    const lastListed = roster.submissions.at(-1);
    if (roster.lastEvaluatedSubmissionId === undefined || !lastListed) return pageEndingAt(undefined);
    // The roster goes on after the last submission listed, which is done: resume past its attempts.
    cursor = { submissionId: lastListed.submissionId, attempt: lastListed.currentAttempt + 1, afterKey: null };
    rosterFrom = lastListed.submissionId;
  }
}

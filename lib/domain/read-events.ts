import * as z from 'zod/mini';
import { bookmarkAttemptSchema, decodeBookmark, encodeBookmark } from './bookmark.ts';
import { assertReachesCourse, type Caller } from './caller.ts';
import { BadRequestError, NotFoundError } from './errors.ts';
import { EVENT_KEY_PATTERN } from './event-key.ts';
import { assertWithinTimeRange, type EventFilters, filtersContext } from './event-filters.ts';
import type { EventStore, SubmissionState } from './event-store.ts';
import type { SubmissionRef } from './ids.ts';
import { clampPerPage, MAX_QUERIES_PER_FILTERED_EVENTS_PAGE } from './limits.ts';
import { fillFromAttempt } from './page-filling.ts';
import type { StoredEvent } from './stored-event.ts';

export interface ReadEventsRequest {
  submission: SubmissionRef;
  /** Absent: the latest attempt (or the bookmark's). */
  attempt?: number | undefined;
  perPage?: number | undefined;
  filters: EventFilters;
  /** A bookmark from a Link header; absent: the first page. */
  page?: string | undefined;
}

export interface EventsPage {
  attempt: number;
  perPage: number;
  events: StoredEvent[];
  /** The next page's bookmark, when more may remain. */
  next?: string | undefined;
}

/** Where a page of one attempt's events goes on: the attempt, then the key of the last event returned. */
const positionSchema = z.tuple([bookmarkAttemptSchema, z.string().check(z.regex(EVENT_KEY_PATTERN))]);

const bookmarkContext = ({ courseId, quizId, submissionId }: SubmissionRef, filters: EventFilters): string =>
  `events ${JSON.stringify([courseId, quizId, submissionId])} ${filtersContext(filters)}`;

export async function readEvents(store: EventStore, request: ReadEventsRequest, caller: Caller, signal?: AbortSignal): Promise<EventsPage> {
  const { submission, filters } = request;
  assertReachesCourse(caller, submission.courseId);
  const context = bookmarkContext(submission, filters);
  const bookmark = request.page === undefined ? undefined : decodeBookmark(context, request.page, positionSchema);
  if (bookmark) assertWithinTimeRange(bookmark[1], filters);
  if (bookmark && request.attempt !== undefined && bookmark[0] !== request.attempt) {
    throw new BadRequestError('page belongs to another attempt', 'page');
  }
  let known: SubmissionState | undefined;
  let attempt = request.attempt ?? bookmark?.[0];
  if (attempt === undefined) {
    known = await store.getSubmission(submission, signal);
    if (!known) throw new NotFoundError('no such submission');
    attempt = known.currentAttempt;
  }

  const perPage = clampPerPage(request.perPage);
  // One event more than the page tells whether a next page exists, in the same Query.
  const filled = await fillFromAttempt(
    store,
    { ...submission, attempt },
    filters,
    { want: perPage + 1, afterKey: bookmark?.[1], maxQueries: filters.eventTypes.length > 0 ? MAX_QUERIES_PER_FILTERED_EVENTS_PAGE : 1 },
    signal,
  );
  const events = filled.events.slice(0, perPage);
  if (!bookmark && events.length === 0) {
    // An empty first page: an attempt without (matching) events, or no such submission or attempt.
    known ??= await store.getSubmission(submission, signal);
    if (!known || attempt > known.currentAttempt) throw new NotFoundError('no such submission or attempt');
  }
  const continueAfter = filled.events.length > perPage ? events.at(-1)!.key : filled.continueAfter;
  return { attempt, perPage, events, next: continueAfter && encodeBookmark(context, [attempt, continueAfter]) };
}

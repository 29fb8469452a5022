import type { EventStore } from './event-store.ts';
import type { SubmissionRef } from './ids.ts';
import type { Bookmark } from './bookmark.ts';
import type { Caller } from './caller.ts';
import { BadRequestError, ForbiddenError, NotFoundError } from './errors.ts';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE } from './limits.ts';
import type { StoredEvent } from './stored-event.ts';

export interface ReadEventsRequest {
  submission: SubmissionRef;
  /** Absent: the latest attempt (or the bookmark's). */
  attempt?: number | undefined;
  perPage?: number | undefined;
  /** Absent: the first page. */
  bookmark?: Bookmark | undefined;
}

export interface EventsPage {
  attempt: number;
  perPage: number;
  events: StoredEvent[];
  next?: Bookmark | undefined;
}

/** Like Canvas: out-of-range page sizes are clamped rather than refused. */
const clampPerPage = (perPage = DEFAULT_PER_PAGE): number => Math.min(MAX_PER_PAGE, Math.max(1, perPage));

export async function readEvents(
  store: EventStore,
  request: ReadEventsRequest,
  caller: Caller,
  signal?: AbortSignal,
): Promise<EventsPage> {
  const { submission, bookmark } = request;
  if (caller.courseIds && !caller.courseIds.includes(submission.courseId)) {
    throw new ForbiddenError('the token does not grant this course');
  }
  if (bookmark && request.attempt !== undefined && bookmark.attempt !== request.attempt) {
    throw new BadRequestError('page belongs to another attempt', 'page');
  }
  const attempt =
    request.attempt ?? bookmark?.attempt ?? (await store.getSubmission(submission, signal))?.currentAttempt;
  if (attempt === undefined) throw new NotFoundError('no such submission');

  const perPage = clampPerPage(request.perPage);
  // One item more than the page tells whether a next page exists, in the same Query. A Query that
  // DynamoDB cut at 1 MB makes a shorter page that still links to the next.
  const { events, cutShort } = await store.queryEvents({ ...submission, attempt }, perPage + 1, bookmark?.afterKey, signal);
  if (!bookmark && events.length === 0) throw new NotFoundError('no events for this attempt');
  const page = events.slice(0, perPage);
  const more = events.length > perPage || (cutShort && page.length > 0);
  return {
    attempt,
    perPage,
    events: page,
    next: more ? { attempt, afterKey: page.at(-1)!.key } : undefined,
  };
}

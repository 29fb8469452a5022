import { assertReachesCourse, type Caller } from './caller.ts';
import { BadRequestError, EventQuotaExceededError, ForbiddenError, StorageBusyError } from './errors.ts';
import type { EventStore, SubmissionState } from './event-store.ts';
import type { SubmissionRef } from './ids.ts';
import { MAX_EVENTS_PER_SUBMISSION } from './limits.ts';
import type { SubmittedEvent } from './schemas.ts';
import { toStoredEvents } from './stored-event.ts';

export interface RecordEventsRequest {
  submission: SubmissionRef;
  /** Absent: the submission's current attempt (1 for a new submission). */
  attempt?: number | undefined;
  events: SubmittedEvent[];
}

/**
 * Stores a validated batch. The token must reach the course (and name the submission, where the
 * deployment asks for that); the submission's first writer owns it; an attempt may be the current one,
 * an older one or the next; the submission's event quota must hold. Anything else is refused before
 * anything is written.
 */
export async function recordEvents(
  store: EventStore,
  { submission, attempt, events }: RecordEventsRequest,
  caller: Caller,
  signal?: AbortSignal,
): Promise<void> {
  assertReachesCourse(caller, submission.courseId);
  if (caller.submissionIds && !caller.submissionIds.includes(submission.submissionId)) {
    throw new ForbiddenError('the token does not name this submission', 'submission');
  }
  const { subject } = caller;
  if (subject === undefined) throw new ForbiddenError('a token without a subject cannot own a submission', 'subject');
  if (events.length === 0) {
    // Nothing to store, and nothing is created: the same refusals, from one read.
    const refusal = refusalFor(await store.getSubmission(submission, signal), subject, attempt, 0);
    if (refusal) throw refusal;
    return;
  }
  const claim = store.claimSubmission(submission, { subject, attempt, eventCount: events.length }, signal);
  // Keyed while the claim is on its way, so the hashing overlaps the round trip.
  const stored = toStoredEvents(events, Date.now());
  const claimed = await claim;
  if (!claimed.claimed) {
    // The claim's condition failed yet nothing here explains it: the submission changed in between.
    throw refusalFor(claimed.submission, subject, attempt, events.length) ?? new StorageBusyError('The submission changed while it was claimed; retry the request.');
  }
  await store.putEvents({ ...submission, attempt: claimed.attempt }, stored, signal);
}

/** Why a batch of `eventCount` events for `attempt` cannot go to this submission, if it cannot. */
function refusalFor(state: SubmissionState | undefined, subject: string, attempt: number | undefined, eventCount: number): Error | undefined {
  if (state && state.owner !== subject) return new ForbiddenError('the submission belongs to another user', 'owner');
  const current = state?.currentAttempt ?? 0;
  if (attempt !== undefined && attempt > current + 1) {
    return new BadRequestError(
      state ? `attempt must be at most ${current + 1}: the current attempt is ${current}, and attempts advance by one` : 'attempt must be 1 for a new submission',
      'attempt',
    );
  }
  if ((state?.eventCount ?? 0) + eventCount > MAX_EVENTS_PER_SUBMISSION) {
    return new EventQuotaExceededError(`this submission has received ${MAX_EVENTS_PER_SUBMISSION} events, the most it may`);
  }
  return undefined;
}

import type { EventStore } from './event-store.ts';
import type { SubmissionRef } from './ids.ts';
import type { Caller } from './caller.ts';
import { ForbiddenError } from './errors.ts';
import type { SubmittedEvent } from './schemas.ts';
import { toStoredEvents } from './stored-event.ts';

export interface RecordEventsRequest {
  submission: SubmissionRef;
  /** Absent: the submission's current attempt (1 for a new submission). */
  attempt?: number | undefined;
  events: SubmittedEvent[];
}

/**
 * Stores a validated batch. The submission's first writer owns it; anyone else is refused before
 * anything is written.
 */
export async function recordEvents(
  store: EventStore,
  { submission, attempt, events }: RecordEventsRequest,
  { subject }: Caller,
  signal?: AbortSignal,
): Promise<void> {
  if (events.length === 0) return;
  if (subject === undefined) throw new ForbiddenError('a token without a subject cannot own a submission');
  const claim = store.claimSubmission(submission, subject, attempt, signal);
  // Keyed while the claim is on its way, so the hashing overlaps the round trip.
  const stored = toStoredEvents(events, Date.now());
  const state = await claim;
  if (state.owner !== subject) throw new ForbiddenError('the submission belongs to another user');
  await store.putEvents({ ...submission, attempt: attempt ?? state.currentAttempt }, stored, signal);
}

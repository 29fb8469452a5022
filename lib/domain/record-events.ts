import type { SubmissionRef } from '#lib/store/table.ts';
import type { EventStore } from '#lib/store/event-store.ts';
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
  caller: Caller,
  { signal, receivedMs = Date.now() }: { signal?: AbortSignal; receivedMs?: number } = {},
): Promise<void> {
  if (events.length === 0) return;
  const state = await store.claimSubmission(submission, caller.subject, attempt, signal);
  if (state.owner !== caller.subject) throw new ForbiddenError('the submission belongs to another user');
  const stored = toStoredEvents(events, receivedMs);
  await store.putEvents({ ...submission, attempt: attempt ?? state.currentAttempt }, stored, signal);
}

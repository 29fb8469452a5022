import type { AttemptRef, SubmissionRef } from './ids.ts';
import type { StoredEvent } from './stored-event.ts';

export interface SubmissionState {
  owner: string;
  currentAttempt: number;
}

export interface EventsSlice {
  events: StoredEvent[];
  /** The store stopped early (DynamoDB's 1 MB per Query) with more events to come. */
  cutShort: boolean;
}

/**
 * What the domain needs of storage. The domain owns this port; lib/store/dynamodb-event-store.ts
 * implements it on DynamoDB.
 */
export interface EventStore {
  getSubmission(ref: SubmissionRef, signal?: AbortSignal): Promise<SubmissionState | undefined>;
  /**
   * Makes `subject` the owner of a new submission and raises its current attempt to `attempt` when that
   * is higher, atomically; returns the submission as it is afterwards, whoever owns it.
   */
  claimSubmission(ref: SubmissionRef, subject: string, attempt: number | undefined, signal?: AbortSignal): Promise<SubmissionState>;
  putEvents(ref: AttemptRef, events: readonly StoredEvent[], signal?: AbortSignal): Promise<void>;
  /** Up to `limit` of an attempt's events in key order, after `afterKey` when given. */
  queryEvents(ref: AttemptRef, limit: number, afterKey?: string, signal?: AbortSignal): Promise<EventsSlice>;
}

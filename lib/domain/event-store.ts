import type { AttemptRef, QuizRef, SubmissionRef } from './ids.ts';
import type { StoredEvent } from './stored-event.ts';

export interface SubmissionState {
  /** The `sub` of the submission's first writer. */
  owner: string;
  currentAttempt: number;
  /** Events received, all attempts together, resends included. */
  eventCount: number;
}

export interface ClaimRequest {
  subject: string;
  /** Absent: the current attempt (1 for a new submission). */
  attempt?: number | undefined;
  /** Events in the batch, counted against the submission's quota. */
  eventCount: number;
}

/**
 * A claim either holds, and says which attempt the batch goes to, or is refused with the submission as
 * it is (undefined when there is none), from which the domain tells the caller why.
 */
export type ClaimResult = { claimed: true; attempt: number } | { claimed: false; submission: SubmissionState | undefined };

/** Which of an attempt's events to read: a time range on the event key, and event types. */
export interface EventsQuery {
  /** created_at ≥ this (ISO ms UTC). */
  startTime?: string | undefined;
  /** created_at < this (ISO ms UTC). */
  endTime?: string | undefined;
  /** Only these event types (empty or absent: every type). */
  eventTypes?: readonly string[] | undefined;
  /** Start after this event key. */
  afterKey?: string | undefined;
  /** Stop after evaluating this many events (matching or not). */
  limit?: number | undefined;
}

export interface EventsSlice {
  /** The matching events evaluated, in key order. */
  events: StoredEvent[];
  /** The key of the last event evaluated when the store stopped before the end (limit or 1 MB); a next call starts after it. */
  lastEvaluatedKey?: string | undefined;
}

export interface RosterEntry {
  submissionId: string;
  currentAttempt: number;
}

export interface RosterRange {
  fromSubmissionId?: string | undefined;
  toSubmissionId?: string | undefined;
  limit: number;
}

export interface RosterSlice {
  submissions: RosterEntry[];
  /** Set when the store stopped (limit or 1 MB) before the end: the next call starts after this submission id. */
  lastEvaluatedSubmissionId?: string | undefined;
}

/**
 * What the domain needs of storage. The domain owns this port; lib/store/dynamodb-event-store.ts
 * implements it on DynamoDB.
 */
export interface EventStore {
  getSubmission(ref: SubmissionRef, signal?: AbortSignal): Promise<SubmissionState | undefined>;
  /**
   * Atomically: makes the subject the owner of a new submission, adds the batch to the event count,
   * and raises the current attempt by one when the request names the next attempt. Refused when another
   * subject owns the submission, the attempt is more than one past the current one, or the quota would be passed.
   */
  claimSubmission(ref: SubmissionRef, request: ClaimRequest, signal?: AbortSignal): Promise<ClaimResult>;
  putEvents(ref: AttemptRef, events: readonly StoredEvent[], signal?: AbortSignal): Promise<void>;
  queryEvents(ref: AttemptRef, query: EventsQuery, signal?: AbortSignal): Promise<EventsSlice>;
  /** Up to `limit` of a quiz's submissions in submission id order, from `fromSubmissionId` to `toSubmissionId` (both inclusive). */
  listSubmissions(quiz: QuizRef, range: RosterRange, signal?: AbortSignal): Promise<RosterSlice>;
}

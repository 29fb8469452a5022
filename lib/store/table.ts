/**
 * The one definition of the events table: key names, key builders and the TTL attribute.
 * The CDK stack, the local server and the tests all build the table from this module.
 */
import type { AttemptRef, QuizRef, SubmissionRef } from '#lib/domain/ids.ts';

export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
export const TTL_ATTRIBUTE = 'expiresAt';

// Path ids cannot contain '#', so these keys can never collide across quizzes, submissions or attempts.

/**
 * The quiz's roster: one small item per submission, its sort key the submission id, so that one Query
 * lists a quiz's submissions in order. Written only when a submission is created or its attempt raised,
 * so that every other POST stays in its submission's own partition.
 */
export const quizPartitionKey = ({ courseId, quizId }: QuizRef): string => `course#${courseId}#quiz#${quizId}`;

/** The submission item: owner, attempts, event count, in a partition of its own. */
export const submissionPartitionKey = (ref: SubmissionRef): string => `${quizPartitionKey(ref)}#submission#${ref.submissionId}`;

/** Where an attempt's events live, each under its event key (lib/domain/event-key.ts) as the sort key. */
export const attemptPartitionKey = (ref: AttemptRef): string => `${submissionPartitionKey(ref)}#attempt#${ref.attempt}`;

export const SUBMISSION_SORT_KEY = 'submission';

/** Attribute names of the items, beyond the keys. */
export const EventAttribute = {
  eventType: 'eventType',
  eventData: 'eventData',
  clientTimestamp: 'clientTimestamp',
  receivedAt: 'receivedAt',
} as const;

export const SubmissionAttribute = {
  owner: 'owner',
  /** A number set of every attempt, 1..current (attempts only advance by one, so it has no gaps). */
  attempts: 'attempts',
  eventCount: 'eventCount',
  /** The current attempt as the quiz's roster last recorded it; differing from the current attempt, the roster is due. */
  rosteredAttempt: 'rosteredAttempt',
} as const;

export const RosterAttribute = {
  currentAttempt: 'currentAttempt',
} as const;

/** Every attribute the writer ever writes: its IAM policy allows no other. */
export const WRITTEN_ATTRIBUTES: readonly string[] = [
  ...new Set([PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE, ...Object.values(EventAttribute), ...Object.values(SubmissionAttribute), ...Object.values(RosterAttribute)]),
];

/** The CreateTable input for the local store and the tests; the CDK stack declares the same keys. */
export const createTableInput = (tableName: string) => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST' as const,
  AttributeDefinitions: [
    { AttributeName: PARTITION_KEY, AttributeType: 'S' as const },
    { AttributeName: SORT_KEY, AttributeType: 'S' as const },
  ],
  KeySchema: [
    { AttributeName: PARTITION_KEY, KeyType: 'HASH' as const },
    { AttributeName: SORT_KEY, KeyType: 'RANGE' as const },
  ],
});

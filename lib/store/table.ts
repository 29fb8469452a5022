/**
 * The one definition of the events table: key names, key builders and the TTL attribute.
 * The CDK stack, the local server and the tests all build the table from this module.
 */
import type { AttemptRef, SubmissionRef } from '#lib/domain/ids.ts';

export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
export const TTL_ATTRIBUTE = 'expiresAt';

// Path ids cannot contain '#', so these keys can never collide across submissions.
export const submissionPartitionKey = ({ courseId, quizId, submissionId }: SubmissionRef): string =>
  `course#${courseId}#quiz#${quizId}#submission#${submissionId}`;

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
  currentAttempt: 'currentAttempt',
} as const;

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

/**
 * The one definition of the events table: key names, key builders and the TTL attribute.
 * The CDK stack, the local server and the tests all build the table from this module.
 */
export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
export const TTL_ATTRIBUTE = 'expiresAt';

/** Where an attempt's events live: one partition per course + quiz + submission + attempt. */
export interface AttemptRef {
  courseId: string;
  quizId: string;
  submissionId: string;
  attempt: number;
}

export type SubmissionRef = Omit<AttemptRef, 'attempt'>;

// Path ids cannot contain '#', so these keys can never collide across submissions.
export const submissionPartitionKey = ({ courseId, quizId, submissionId }: SubmissionRef): string =>
  `course#${courseId}#quiz#${quizId}#submission#${submissionId}`;

export const attemptPartitionKey = (ref: AttemptRef): string =>
  `${submissionPartitionKey(ref)}#attempt#${ref.attempt}`;

export const SUBMISSION_SORT_KEY = 'submission';

/** Event sort key: fixed-width UTC event time, then a digest of the event's content. */
export const eventSortKey = (createdAtIso: string, digest: string): string => `${createdAtIso}#${digest}`;

/** base64url characters of the content digest: 132 bits. */
export const EVENT_DIGEST_LENGTH = 22;
const ISO_MILLIS_LENGTH = '2014-10-08T19:29:58.123Z'.length;

export const EVENT_SORT_KEY_PATTERN = new RegExp(
  `^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z#[A-Za-z0-9_-]{${EVENT_DIGEST_LENGTH}}$`,
);

export const createdAtOfSortKey = (sortKey: string): string => sortKey.slice(0, ISO_MILLIS_LENGTH);

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

import { createdAtOfEventKey, EVENT_DIGEST_LENGTH, eventKey } from '#lib/domain/event-key.ts';
import { attemptPartitionKey, EventAttribute, PARTITION_KEY, SORT_KEY, SubmissionAttribute } from '#lib/store/table.ts';

/**
 * The records the analytics path writes to S3: one DynamoDB Streams record per change of an item that
 * analysts need, exactly as EventBridge Pipes hands it to Firehose (docs/analytics.md, "What lands in
 * S3"). Everything here is derived from the table module, so a renamed attribute or key changes the
 * pipe's filter, the Glue schema and the named queries together.
 */

/** DynamoDB's type descriptor of an attribute value, as stream records carry it: `{"S": "…"}`, `{"N": "…"}`. */
type AttributeType = 'S' | 'N';

/** Every attribute of an event item, by the table module's names. */
const EVENT_ITEM_ATTRIBUTES = {
  [EventAttribute.eventType]: 'S',
  [EventAttribute.eventData]: 'S',
  [EventAttribute.clientTimestamp]: 'S',
  [EventAttribute.receivedAt]: 'S',
} as const satisfies Record<(typeof EventAttribute)[keyof typeof EventAttribute], AttributeType>;

/** Of a submission item, only who owns it: analysts join it to a student, the events say the rest. */
const SUBMISSION_ITEM_ATTRIBUTES = {
  [SubmissionAttribute.owner]: 'S',
} as const satisfies Partial<Record<(typeof SubmissionAttribute)[keyof typeof SubmissionAttribute], AttributeType>>;

/** The attribute that only event items have, and the one that only submission items have. */
export const EVENT_MARKER = EventAttribute.eventType;
export const SUBMISSION_MARKER = SubmissionAttribute.owner;

/**
 * The pipe's filter: a change passes when it matches any pattern (EventBridge event-pattern syntax).
 * Event items pass on every write (a resend rewrites the item with a later receivedAt); submission
 * items only when created, since the owner never changes. Roster items and TTL deletions (REMOVE,
 * no NewImage) are dropped before anything is billed per record.
 */
export const CHANGE_FILTER_PATTERNS = [
  { dynamodb: { NewImage: { [EVENT_MARKER]: { S: [{ exists: true }] } } } },
  { eventName: ['INSERT'], dynamodb: { NewImage: { [SUBMISSION_MARKER]: { S: [{ exists: true }] } } } },
] as const;

/** A Glue (Hive) column type: a primitive, or a struct of named fields. */
export type GlueType = 'string' | 'double' | { struct: Readonly<Record<string, GlueType>> };

const attributeValue = (type: AttributeType): GlueType => ({ struct: { [type]: 'string' } });
const attributeValues = (attributes: Readonly<Record<string, AttributeType>>): Record<string, GlueType> =>
  Object.fromEntries(Object.entries(attributes).map(([name, type]) => [name, attributeValue(type)]));

const keys = { [PARTITION_KEY]: attributeValue('S'), [SORT_KEY]: attributeValue('S') };

/**
 * The columns of the Glue table over those records, as the JSON is nested. Fields the queries do not
 * read (eventID, awsRegion, eventSourceARN…) are left out: the JSON SerDe skips them.
 */
export const CHANGE_RECORD_COLUMNS = {
  eventName: 'string',
  dynamodb: {
    struct: {
      ApproximateCreationDateTime: 'double',
      Keys: { struct: keys },
      NewImage: { struct: { ...keys, ...attributeValues(EVENT_ITEM_ATTRIBUTES), ...attributeValues(SUBMISSION_ITEM_ATTRIBUTES) } },
      SequenceNumber: 'string',
    },
  },
} as const satisfies Record<string, GlueType>;

/** The type as Glue and Athena write it: `struct<a:string,b:struct<S:string>>`. */
export function glueTypeName(type: GlueType): string {
  if (typeof type === 'string') return type;
  return `struct<${Object.entries(type.struct)
    .map(([name, field]) => `${name}:${glueTypeName(field)}`)
    .join(',')}>`;
}

/**
 * Where each id sits in an event item's partition key once split on '#' (1-based, as SQL's
 * split_part counts), found by building a key from the table module with recognisable ids.
 */
export const EVENT_KEY_PARTS = (() => {
  const marker = { courseId: '\u0001', quizId: '\u0002', submissionId: '\u0003', attempt: 4_000_000_004 };
  const parts = attemptPartitionKey(marker).split('#');
  const position = (value: string) => {
    const index = parts.indexOf(value);
    if (index < 0) throw new Error(`the event partition key has no segment for ${JSON.stringify(value)}`);
    return index + 1;
  };
  return {
    course: position(marker.courseId),
    quiz: position(marker.quizId),
    submission: position(marker.submissionId),
    attempt: position(String(marker.attempt)),
  };
})();

/** created_at is the sort key's first characters: their number, from the table module's key builders. */
export const CREATED_AT_LENGTH = createdAtOfEventKey(eventKey(new Date(0).toISOString(), 'x'.repeat(EVENT_DIGEST_LENGTH))).length;

import { GetCommand, PutCommand, QueryCommand, type QueryCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventsQuery, EventStore, RosterEntry, SubmissionState } from '#lib/domain/event-store.ts';
import type { AttemptRef, QuizRef, SubmissionRef } from '#lib/domain/ids.ts';
import { MAX_EVENTS_PER_SUBMISSION } from '#lib/domain/limits.ts';
import type { StoredEvent } from '#lib/domain/stored-event.ts';
import { type BatchWritePolicy, batchWriteAll, defaultBatchWritePolicy } from './batch-write.ts';
import { withStorageErrors } from './storage-errors.ts';
import {
  attemptPartitionKey,
  EventAttribute,
  PARTITION_KEY,
  quizPartitionKey,
  RosterAttribute,
  SORT_KEY,
  SUBMISSION_SORT_KEY,
  SubmissionAttribute,
  submissionPartitionKey,
  TTL_ATTRIBUTE,
} from './table.ts';

export interface EventStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** 0 keeps items forever; otherwise event items carry a TTL this many days after they were written. */
  retentionDays: number;
  batchWritePolicy?: BatchWritePolicy;
}

type Item = Record<string, unknown>;

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

/** A key a character above every event key of that millisecond (they continue with '#'). */
const afterMillisecond = (iso: string) => `${iso}$`;

/** The domain's event store (lib/domain/event-store.ts) on one DynamoDB table (./table.ts). */
export function createDynamoDbEventStore({
  client,
  tableName,
  retentionDays,
  batchWritePolicy = defaultBatchWritePolicy,
}: EventStoreOptions): EventStore {
  const expiresAt = (): { [TTL_ATTRIBUTE]?: number } =>
    retentionDays > 0 ? { [TTL_ATTRIBUTE]: Math.floor(Date.now() / 1000) + retentionDays * 86_400 } : {};
  const submissionKey = (ref: SubmissionRef) => ({ [PARTITION_KEY]: submissionPartitionKey(ref), [SORT_KEY]: SUBMISSION_SORT_KEY });

  async function getSubmission(ref: SubmissionRef, signal?: AbortSignal): Promise<SubmissionState | undefined> {
    const { Item } = await withStorageErrors(() =>
      client.send(new GetCommand({ TableName: tableName, Key: submissionKey(ref), ConsistentRead: true }), { abortSignal: signal }),
    );
    return Item && toSubmissionState(Item);
  }

  /**
   * Records the current attempt in the quiz's roster, then on the submission item that the roster has
   * it. Both writes are conditional on only ever raising the attempt, so late or concurrent calls are
   * harmless; if either fails, the next POST finds the roster still due and does it again.
   */
  async function updateRoster(ref: SubmissionRef, currentAttempt: number, signal?: AbortSignal): Promise<void> {
    const onlyRaises = (attribute: string) => ({
      ConditionExpression: `attribute_not_exists(#attempt) OR #attempt < :attempt`,
      ExpressionAttributeNames: { '#attempt': attribute },
      ExpressionAttributeValues: { ':attempt': currentAttempt },
    });
    const ignoringConditionFailure = (error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    };
    const roster = new PutCommand({
      TableName: tableName,
      Item: { [PARTITION_KEY]: quizPartitionKey(ref), [SORT_KEY]: ref.submissionId, [RosterAttribute.currentAttempt]: currentAttempt },
      ...onlyRaises(RosterAttribute.currentAttempt),
    });
    await withStorageErrors(() => client.send(roster, { abortSignal: signal })).catch(ignoringConditionFailure);
    const rostered = new UpdateCommand({
      TableName: tableName,
      Key: submissionKey(ref),
      UpdateExpression: 'SET #attempt = :attempt',
      ...onlyRaises(SubmissionAttribute.rosteredAttempt),
    });
    await withStorageErrors(() => client.send(rostered, { abortSignal: signal })).catch(ignoringConditionFailure);
  }

  return {
    getSubmission,

    /**
     * One conditional update does the whole claim: the owner is set if absent, the batch is added to
     * the event count, and the attempt is added to the submission's set of attempts, which the condition
     * allows only when the attempt before it is there. The submission item never expires, even with a
     * retention period: it keeps the owner, so nobody else can take over a submission whose events expired.
     */
    async claimSubmission(ref, { subject, attempt, eventCount }, signal) {
      const added = attempt ?? 1;
      let old: Item | undefined;
      try {
        const claim = new UpdateCommand({
            TableName: tableName,
            Key: submissionKey(ref),
            UpdateExpression: 'SET #owner = if_not_exists(#owner, :subject) ADD #attempts :added, #count :count',
            ConditionExpression: [
              '(attribute_not_exists(#owner) OR #owner = :subject)',
              '(attribute_not_exists(#count) OR #count <= :room)',
              ...(added > 1 ? ['contains(#attempts, :previous)'] : []),
            ].join(' AND '),
            ExpressionAttributeNames: {
              '#owner': SubmissionAttribute.owner,
              '#attempts': SubmissionAttribute.attempts,
              '#count': SubmissionAttribute.eventCount,
            },
            ExpressionAttributeValues: {
              ':subject': subject,
              ':added': new Set([added]),
              ':count': eventCount,
              ':room': MAX_EVENTS_PER_SUBMISSION - eventCount,
              ...(added > 1 && { ':previous': added - 1 }),
            },
            ReturnValues: 'ALL_OLD',
          });
        ({ Attributes: old } = await withStorageErrors(() => client.send(claim, { abortSignal: signal })));
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return { claimed: false, submission: await getSubmission(ref, signal) };
      }
      const currentAttempt = Math.max(added, ...attemptsOf(old));
      if (old?.[SubmissionAttribute.rosteredAttempt] !== currentAttempt) await updateRoster(ref, currentAttempt, signal);
      return { claimed: true, attempt: attempt ?? currentAttempt };
    },

    async putEvents(ref: AttemptRef, events: readonly StoredEvent[], signal?: AbortSignal): Promise<void> {
      const pk = attemptPartitionKey(ref);
      const ttl = expiresAt();
      const items = events.map((event) => ({
        [PARTITION_KEY]: pk,
        [SORT_KEY]: event.key,
        [EventAttribute.eventType]: event.eventType,
        [EventAttribute.eventData]: event.eventDataJson,
        [EventAttribute.clientTimestamp]: event.clientTimestamp,
        [EventAttribute.receivedAt]: event.receivedAt,
        ...ttl,
      }));
      await withStorageErrors(() => batchWriteAll(client, tableName, items, batchWritePolicy, signal));
    },

    /**
     * One Query: the time range is a condition on the sort key (nothing outside it is read), the types a
     * filter (DynamoDB still reads, and bills, the events it leaves out). It stops at `limit` events
     * evaluated or at 1 MB, whichever comes first; `lastEvaluatedKey` then says where to go on.
     */
    async queryEvents(ref: AttemptRef, query: EventsQuery, signal?: AbortSignal) {
      const pk = attemptPartitionKey(ref);
      const names: Record<string, string> = { '#pk': PARTITION_KEY };
      const values: Record<string, unknown> = { ':pk': pk };
      // created_at < end: every key up to the end of the millisecond before it.
      const to = query.endTime === undefined ? undefined : afterMillisecond(millisecondBefore(query.endTime));
      const range = sortKeyRange(query.startTime, to);
      if (range) {
        names['#sk'] = SORT_KEY;
        Object.assign(values, range.values);
      }
      const input: QueryCommandInput = {
        TableName: tableName,
        KeyConditionExpression: `#pk = :pk${range?.condition ?? ''}`,
        ConsistentRead: true,
        ...(query.afterKey && { ExclusiveStartKey: { [PARTITION_KEY]: pk, [SORT_KEY]: query.afterKey } }),
        ...(query.limit !== undefined && { Limit: query.limit }),
      };
      if (query.eventTypes?.length) {
        names['#type'] = EventAttribute.eventType;
        query.eventTypes.forEach((type, i) => (values[`:type${i}`] = type));
        input.FilterExpression = `#type IN (${query.eventTypes.map((_, i) => `:type${i}`).join(', ')})`;
      }
      input.ExpressionAttributeNames = names;
      input.ExpressionAttributeValues = values;
      const { Items = [], LastEvaluatedKey } = await withStorageErrors(() => client.send(new QueryCommand(input), { abortSignal: signal }));
      return {
        events: Items.map(toStoredEvent),
        lastEvaluatedKey: LastEvaluatedKey?.[SORT_KEY] as string | undefined,
      };
    },

    async listSubmissions(quiz: QuizRef, { fromSubmissionId, toSubmissionId, limit }, signal?: AbortSignal) {
      const range = sortKeyRange(fromSubmissionId, toSubmissionId);
      const query = new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: `#pk = :pk${range?.condition ?? ''}`,
          ExpressionAttributeNames: { '#pk': PARTITION_KEY, ...(range && { '#sk': SORT_KEY }) },
          ExpressionAttributeValues: { ':pk': quizPartitionKey(quiz), ...range?.values },
          ConsistentRead: true,
          Limit: limit,
        });
      const { Items = [], LastEvaluatedKey } = await withStorageErrors(() => client.send(query, { abortSignal: signal }));
      const submissions: RosterEntry[] = Items.map((item) => ({
        submissionId: item[SORT_KEY] as string,
        currentAttempt: item[RosterAttribute.currentAttempt] as number,
      }));
      return { submissions, lastEvaluatedSubmissionId: LastEvaluatedKey?.[SORT_KEY] as string | undefined };
    },
  };
}

/** A key condition on the sort key from `from` to `to`, both inclusive, either open; undefined for neither. */
function sortKeyRange(from: string | undefined, to: string | undefined) {
  if (from === undefined && to === undefined) return undefined;
  const condition = from === undefined ? ' AND #sk <= :to' : to === undefined ? ' AND #sk >= :from' : ' AND #sk BETWEEN :from AND :to';
  return { condition, values: { ...(from !== undefined && { ':from': from }), ...(to !== undefined && { ':to': to }) } };
}

/** The ISO time one millisecond earlier: keys before `end` are those up to the end of that millisecond. */
const millisecondBefore = (iso: string): string => new Date(Date.parse(iso) - 1).toISOString();

const attemptsOf = (item: Item | undefined): number[] => [...((item?.[SubmissionAttribute.attempts] as Set<number> | undefined) ?? [])];

const toSubmissionState = (item: Item): SubmissionState => ({
  owner: item[SubmissionAttribute.owner] as string,
  currentAttempt: Math.max(...attemptsOf(item)),
  eventCount: (item[SubmissionAttribute.eventCount] as number | undefined) ?? 0,
});

const toStoredEvent = (item: Item): StoredEvent => ({
  key: item[SORT_KEY] as string,
  eventType: item[EventAttribute.eventType] as string,
  eventDataJson: item[EventAttribute.eventData] as string,
  clientTimestamp: item[EventAttribute.clientTimestamp] as string | undefined,
  receivedAt: item[EventAttribute.receivedAt] as string,
});

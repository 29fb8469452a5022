import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventStore, SubmissionState } from '#lib/domain/event-store.ts';
import type { AttemptRef, SubmissionRef } from '#lib/domain/ids.ts';
import type { StoredEvent } from '#lib/domain/stored-event.ts';
import { type BatchWritePolicy, batchWriteAll, defaultBatchWritePolicy } from './batch-write.ts';
import { withStorageErrors } from './storage-errors.ts';
import {
  attemptPartitionKey,
  EventAttribute,
  PARTITION_KEY,
  SORT_KEY,
  SUBMISSION_SORT_KEY,
  SubmissionAttribute,
  submissionPartitionKey,
  TTL_ATTRIBUTE,
} from './table.ts';

export interface EventStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** 0 keeps items forever; otherwise items carry a TTL this many days after they were written. */
  retentionDays: number;
  batchWritePolicy?: BatchWritePolicy;
}

/** The domain's event store (lib/domain/event-store.ts) on one DynamoDB table (./table.ts). */
export function createDynamoDbEventStore({
  client,
  tableName,
  retentionDays,
  batchWritePolicy = defaultBatchWritePolicy,
}: EventStoreOptions): EventStore {
  const expiresAt = (): { [TTL_ATTRIBUTE]?: number } =>
    retentionDays > 0 ? { [TTL_ATTRIBUTE]: Math.floor(Date.now() / 1000) + retentionDays * 86_400 } : {};
  const submissionKey = (ref: SubmissionRef) => ({
    [PARTITION_KEY]: submissionPartitionKey(ref),
    [SORT_KEY]: SUBMISSION_SORT_KEY,
  });

  async function getSubmission(ref: SubmissionRef, signal?: AbortSignal): Promise<SubmissionState | undefined> {
    const { Item } = await withStorageErrors(() =>
      client.send(new GetCommand({ TableName: tableName, Key: submissionKey(ref), ConsistentRead: true }), {
        abortSignal: signal,
      }),
    );
    return Item && toSubmissionState(Item);
  }

  return {
    getSubmission,

    /**
     * Makes `subject` the owner of a new submission and raises its current attempt to `attempt` when
     * that is higher, in one conditional update. When the condition fails (another owner, or an
     * attempt that is not higher) the submission is read back so the caller can tell which.
     * The submission item never expires, even with a retention period: it is a few bytes, and it
     * keeps the owner, so that nobody else can take over a submission whose events expired.
     */
    async claimSubmission(
      ref: SubmissionRef,
      subject: string,
      attempt: number | undefined,
      signal?: AbortSignal,
    ): Promise<SubmissionState> {
      const raisesAttempt = attempt !== undefined;
      try {
        const { Attributes } = await withStorageErrors(() =>
          client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: submissionKey(ref),
              UpdateExpression: `SET #owner = if_not_exists(#owner, :subject), ${
                raisesAttempt ? '#attempt = :attempt' : '#attempt = if_not_exists(#attempt, :attempt)'
              }`,
              ConditionExpression: raisesAttempt
                ? '(attribute_not_exists(#owner) OR #owner = :subject) AND (attribute_not_exists(#attempt) OR #attempt < :attempt)'
                : 'attribute_not_exists(#owner) OR #owner = :subject',
              ExpressionAttributeNames: {
                '#owner': SubmissionAttribute.owner,
                '#attempt': SubmissionAttribute.currentAttempt,
              },
              ExpressionAttributeValues: { ':subject': subject, ':attempt': attempt ?? 1 },
              ReturnValues: 'ALL_NEW',
            }),
            { abortSignal: signal },
          ),
        );
        return toSubmissionState(Attributes!);
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        const submission = await getSubmission(ref, signal);
        if (!submission) throw error;
        return submission;
      }
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
     * Up to `limit` of an attempt's events in sort-key order, starting after `afterKey`. DynamoDB
     * ends a Query at 1 MB of items: `cutShort` says it stopped there, before `limit`, with more to come.
     */
    async queryEvents(
      ref: AttemptRef,
      limit: number,
      afterKey?: string,
      signal?: AbortSignal,
    ): Promise<{ events: StoredEvent[]; cutShort: boolean }> {
      const pk = attemptPartitionKey(ref);
      const { Items = [], LastEvaluatedKey } = await withStorageErrors(() =>
        client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': PARTITION_KEY },
            ExpressionAttributeValues: { ':pk': pk },
            ...(afterKey && { ExclusiveStartKey: { [PARTITION_KEY]: pk, [SORT_KEY]: afterKey } }),
            Limit: limit,
            ConsistentRead: true,
          }),
          { abortSignal: signal },
        ),
      );
      const events = Items.map((item) => ({
        key: item[SORT_KEY] as string,
        eventType: item[EventAttribute.eventType] as string,
        eventDataJson: item[EventAttribute.eventData] as string,
        clientTimestamp: item[EventAttribute.clientTimestamp] as string | undefined,
        receivedAt: item[EventAttribute.receivedAt] as string,
      }));
      return { events, cutShort: LastEvaluatedKey !== undefined && events.length < limit };
    },
  };
}

const toSubmissionState = (item: Record<string, unknown>): SubmissionState => ({
  owner: item[SubmissionAttribute.owner] as string,
  currentAttempt: item[SubmissionAttribute.currentAttempt] as number,
});

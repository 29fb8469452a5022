import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toIsoMillis } from '#lib/domain/event-time.ts';
import { EVENT_DIGEST_LENGTH, eventKey } from '#lib/domain/event-key.ts';
import type { AttemptRef } from '#lib/domain/ids.ts';
import { attemptPartitionKey, EventAttribute, PARTITION_KEY, SORT_KEY } from '#lib/store/table.ts';
import { TEST_TABLE } from './test-store.ts';

/** An item as the document client reads and writes it. */
export type PlainItem = Record<string, unknown>;

/** An event whose item size is known before it is stored: a fixed-width client time and string event_data. */
export type SizedEvent = {
  client_timestamp: string;
  event_type: string;
  event_data: string;
};

/**
 * The item an event becomes in a table without retention, as far as its size goes: the digest and the
 * receipt time are stand-ins of their length. Tests that rely on it check the sizes of what was stored.
 */
export const eventItem = (ref: AttemptRef, event: SizedEvent): PlainItem => ({
  [PARTITION_KEY]: attemptPartitionKey(ref),
  [SORT_KEY]: eventKey(event.client_timestamp, 'x'.repeat(EVENT_DIGEST_LENGTH)),
  [EventAttribute.eventType]: event.event_type,
  [EventAttribute.eventData]: JSON.stringify(event.event_data),
  [EventAttribute.clientTimestamp]: event.client_timestamp,
  [EventAttribute.receivedAt]: toIsoMillis(0),
});

/** Every item of an attempt's partition, as the table holds them, read past the API. */
export async function storedItems(client: DynamoDBDocumentClient, ref: AttemptRef): Promise<PlainItem[]> {
  const items: PlainItem[] = [];
  let start: PlainItem | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: TEST_TABLE,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY },
        ExpressionAttributeValues: { ':pk': attemptPartitionKey(ref) },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

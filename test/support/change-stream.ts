import { randomUUID } from 'node:crypto';
import { type AttributeValue, DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { EMBEDDED_STORE_CREDENTIALS } from '#lib/store/document-client.ts';
import { LOCAL_REGION } from '#local/embedded-store.ts';
import { PARTITION_KEY, SORT_KEY } from '#lib/store/table.ts';

/**
 * DynamoDB Streams for the embedded store, which has none: the records a NEW_IMAGE stream publishes
 * between two snapshots of the table, in the shape EventBridge Pipes hands them to its target.
 */

export type Item = Record<string, AttributeValue>;

export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Item;
    NewImage?: Item;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: 'NEW_IMAGE';
  };
  eventSourceARN: string;
}

const REGION = 'us-east-1';
const STREAM_ARN = `arn:aws:dynamodb:${REGION}:123456789012:table/QuizSubmissionEvents-test-EventsTable/stream/2026-11-26T00:00:00.000`;

/** Every item of the table, in DynamoDB's JSON, keyed by its primary key. A test may Scan; the service never does. */
export async function snapshot(endpoint: string, tableName: string): Promise<Map<string, Item>> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: EMBEDDED_STORE_CREDENTIALS });
  try {
    const items = new Map<string, Item>();
    for await (const page of paginateScan({ client }, { TableName: tableName, ConsistentRead: true })) {
      for (const item of page.Items ?? []) items.set(keyOf(item), item);
    }
    return items;
  } finally {
    client.destroy();
  }
}

const keyOf = (item: Item) => JSON.stringify([item[PARTITION_KEY], item[SORT_KEY]]);
const keysOf = (item: Item): Item => ({ [PARTITION_KEY]: item[PARTITION_KEY]!, [SORT_KEY]: item[SORT_KEY]! });

let sequence = 100_000_000_000_000_000_000n;

/**
 * The records for what changed from `before` to `after`: INSERT for a new item, MODIFY for a changed
 * one (a write that changes nothing publishes nothing), REMOVE for a deleted one.
 */
export function changesBetween(before: Map<string, Item>, after: Map<string, Item>, at: Date): StreamRecord[] {
  const record = (eventName: StreamRecord['eventName'], item: Item, newImage?: Item): StreamRecord => ({
    eventID: randomUUID().replaceAll('-', ''),
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: REGION,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(at.getTime() / 1000),
      Keys: keysOf(item),
      ...(newImage && { NewImage: newImage }),
      SequenceNumber: String((sequence += 1n)),
      SizeBytes: JSON.stringify(newImage ?? keysOf(item)).length,
      StreamViewType: 'NEW_IMAGE',
    },
    eventSourceARN: STREAM_ARN,
  });
  const records: StreamRecord[] = [];
  for (const [key, item] of after) {
    const previous = before.get(key);
    if (!previous) records.push(record('INSERT', item, item));
    else if (JSON.stringify(previous) !== JSON.stringify(item)) records.push(record('MODIFY', item, item));
  }
  for (const [key, item] of before) if (!after.has(key)) records.push(record('REMOVE', item));
  return records;
}

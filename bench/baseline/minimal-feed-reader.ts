import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * The feed's baseline: a quiz's events, every attempt of every submission, read with a bare Query loop
 * and handed out 100 at a time. One pass holding its place in memory: no HTTP, no validation, no
 * bookmarks, no rendering. The roster, then each attempt's events with a Limit of what the page still
 * lacks; with a type filter, each attempt whole (DynamoDB reads up to 1 MB a Query), the matches cut
 * into pages. Table key names are spelled out on purpose: this is what a minimal reader would look like.
 */
export type FeedItem = Record<string, unknown> & { sk: string; submissionId: string; attempt: number };

export interface MinimalFeedOptions {
  courseId: string;
  quizId: string;
  perPage?: number;
  /** Only events of this type. */
  eventType?: string;
}

export async function* minimalFeedPages(
  client: DynamoDBDocumentClient,
  tableName: string,
  { courseId, quizId, perPage = 100, eventType }: MinimalFeedOptions,
): AsyncGenerator<FeedItem[]> {
  const quizPk = `course#${courseId}#quiz#${quizId}`;
  const query = async (input: Omit<QueryCommandInput, 'TableName' | 'ConsistentRead'>) =>
    client.send(new QueryCommand({ TableName: tableName, ConsistentRead: true, ...input }));
  let page: FeedItem[] = [];
  let rosterStart: Record<string, unknown> | undefined;
  do {
    const roster = await query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': quizPk },
      ExclusiveStartKey: rosterStart,
    });
    rosterStart = roster.LastEvaluatedKey;
    for (const { sk: submissionId, currentAttempt } of roster.Items ?? []) {
      for (let attempt = 1; attempt <= currentAttempt; attempt++) {
        const pk = `${quizPk}#submission#${submissionId}#attempt#${attempt}`;
        let start: Record<string, unknown> | undefined;
        do {
          const { Items = [], LastEvaluatedKey } = await query({
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk, ...(eventType && { ':type': eventType }) },
            ...(eventType ? { FilterExpression: 'eventType = :type' } : { Limit: perPage - page.length }),
            ExclusiveStartKey: start,
          });
          start = LastEvaluatedKey;
          for (const item of Items) {
            page.push({ ...item, submissionId, attempt } as FeedItem);
            if (page.length === perPage) {
              yield page;
              page = [];
            }
          }
        } while (start);
      }
    }
  } while (rosterStart);
  if (page.length > 0) yield page;
}

import { hash } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { HttpEvent, HttpResult } from '#lib/http/types.ts';

/**
 * The warm baseline: handlers written by hand with no middy, no zod and no layers, making the same
 * DynamoDB calls as ours (the same conditional submission claim, the same roster writes when they are
 * due, the same items in ⌈n/25⌉ batch writes, the same Query) and answering the same bodies. They check
 * only what they must to not crash. Table key names are spelled out on purpose: this is what a minimal
 * handler would look like.
 */
const digest = (text: string, length: number) => hash('sha256', text, 'base64url').slice(0, length);
const securityHeaders = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
const badRequest: HttpResult = { statusCode: 400, headers: securityHeaders, body: '{"errors":[{"message":"bad request"}]}' };
const MAX_EVENTS_PER_SUBMISSION = 100_000;

export function minimalPostHandler(client: DynamoDBDocumentClient, tableName: string) {
  return async (event: HttpEvent): Promise<HttpResult> => {
    const path = event.pathParameters ?? {};
    const quizPk = `course#${path.course_id}#quiz#${path.quiz_id}`;
    const submissionPk = `${quizPk}#submission#${path.id}`;
    let body: { quiz_submission_events?: unknown };
    try {
      body = JSON.parse(event.body ?? '');
    } catch {
      return badRequest;
    }
    const events = body?.quiz_submission_events;
    if (!Array.isArray(events) || events.length > 1000) return badRequest;
    if (events.length === 0) return { statusCode: 204, headers: securityHeaders };
    const named = event.queryStringParameters?.attempt;
    const added = Number(named ?? 1);
    const subject = String(event.requestContext.authorizer?.jwt?.claims.sub);
    const receivedMs = Date.now();
    const receivedAt = new Date(receivedMs).toISOString();
    const items = [];
    for (const e of events) {
      if (typeof e?.event_type !== 'string') return badRequest;
      const clientMs = typeof e.client_timestamp === 'string' ? Date.parse(e.client_timestamp) : Number.NaN;
      const createdAt = new Date(Number.isNaN(clientMs) ? receivedMs : clientMs).toISOString();
      const eventData = JSON.stringify(e.event_data ?? null);
      const sk = `${createdAt}#${digest(JSON.stringify([e.event_type, eventData, e.client_timestamp ?? null]), 22)}`;
      items.push({ pk: '', sk, eventType: e.event_type, eventData, clientTimestamp: e.client_timestamp, receivedAt });
    }
    const claim = client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: submissionPk, sk: 'submission' },
        UpdateExpression: 'SET #owner = if_not_exists(#owner, :subject) ADD #attempts :added, #count :count',
        ConditionExpression: `(attribute_not_exists(#owner) OR #owner = :subject) AND (attribute_not_exists(#count) OR #count <= :room)${added > 1 ? ' AND contains(#attempts, :previous)' : ''}`,
        ExpressionAttributeNames: { '#owner': 'owner', '#attempts': 'attempts', '#count': 'eventCount' },
        ExpressionAttributeValues: {
          ':subject': subject,
          ':added': new Set([added]),
          ':count': events.length,
          ':room': MAX_EVENTS_PER_SUBMISSION - events.length,
          ...(added > 1 && { ':previous': added - 1 }),
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    let old: Record<string, unknown> | undefined;
    try {
      ({ Attributes: old } = await claim);
    } catch {
      return { statusCode: 403, headers: securityHeaders };
    }
    const current = Math.max(added, ...((old?.attempts as Set<number> | undefined) ?? []));
    if (old?.rosteredAttempt !== current) {
      const onlyRaises = (attribute: string) => ({
        ConditionExpression: 'attribute_not_exists(#attempt) OR #attempt < :attempt',
        ExpressionAttributeNames: { '#attempt': attribute },
        ExpressionAttributeValues: { ':attempt': current },
      });
      await client
        .send(new PutCommand({ TableName: tableName, Item: { pk: quizPk, sk: path.id, currentAttempt: current }, ...onlyRaises('currentAttempt') }))
        .catch(() => {});
      await client
        .send(new UpdateCommand({ TableName: tableName, Key: { pk: submissionPk, sk: 'submission' }, UpdateExpression: 'SET #attempt = :attempt', ...onlyRaises('rosteredAttempt') }))
        .catch(() => {});
    }
    const pk = `${submissionPk}#attempt#${named === undefined ? current : added}`;
    for (const item of items) item.pk = pk;
    const writes = [];
    for (let i = 0; i < items.length; i += 25) {
      const puts = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      writes.push(client.send(new BatchWriteCommand({ RequestItems: { [tableName]: puts } })));
    }
    await Promise.all(writes);
    return { statusCode: 204, headers: securityHeaders };
  };
}

export function minimalGetHandler(client: DynamoDBDocumentClient, tableName: string) {
  return async (event: HttpEvent): Promise<HttpResult> => {
    const path = event.pathParameters ?? {};
    const query = event.queryStringParameters ?? {};
    const attempt = Number(query.attempt ?? 1);
    const perPage = Math.min(100, Math.max(1, Number(query.per_page ?? 10)));
    if (!Number.isInteger(attempt) || Number.isNaN(perPage)) return badRequest;
    const submissionPk = `course#${path.course_id}#quiz#${path.quiz_id}#submission#${path.id}`;
    const pk = `${submissionPk}#attempt#${attempt}`;
    const { Items = [] } = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':pk': pk },
        Limit: perPage + 1,
        ConsistentRead: true,
      }),
    );
    if (Items.length === 0) return { statusCode: 404, headers: securityHeaders };
    const page = Items.slice(0, perPage);
    const rendered = page.map(
      (item) =>
        `{"id":"${digest(`${attempt}#${item.sk}`, 16)}","event_type":${JSON.stringify(item.eventType)},` +
        `"event_data":${item.eventData},"created_at":"${item.sk.slice(0, 24)}",` +
        `"client_timestamp":${JSON.stringify(item.clientTimestamp ?? null)},"received_at":"${item.receivedAt}","attempt":${attempt}}`,
    );
    const base = `https://${event.requestContext.domainName}${event.rawPath}?attempt=${attempt}&`;
    const position = [attempt, page.at(-1)!.sk];
    const context = `events ${JSON.stringify([path.course_id, path.quiz_id, path.id])} [[],null,null]`;
    const seal = digest(JSON.stringify([context, position]), 16);
    const next = Items.length > perPage && Buffer.from(JSON.stringify([...position, seal])).toString('base64url');
    const link =
      `<${base}page=1&per_page=${perPage}>; rel="current",` +
      (next ? `<${base}page=bookmark:${next}&per_page=${perPage}>; rel="next",` : '') +
      `<${base}page=1&per_page=${perPage}>; rel="first"`;
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', ...securityHeaders, link },
      body: `{"quiz_submission_events":[${rendered.join(',')}]}`,
    };
  };
}
